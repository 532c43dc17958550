// The light entry `@pepperpy/isolation/spec`: manifest fields and permission flags, without the runtime.
export { isolationSpecOf } from './spec.js'
export type { IsolationMode, IsolationSpec, Permissions } from './spec.js'
export { permissionModelAvailable, permissionPlan } from './permissions.js'
export type { PermissionPlan } from './permissions.js'
