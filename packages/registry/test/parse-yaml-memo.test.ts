import { describe, expect, it } from 'vitest'
import { parseYaml, parseYamlText } from '../src/manifest/parse-yaml.js'

interface Doc {
  config_schema: { properties: { model: { type: string } } }
  list: number[]
  when: Date
  bin: Buffer
}

describe('parseYaml (remembered by text)', () => {
  it('hands every caller its own copy: changing one result never changes the next', () => {
    const text =
      'entry_point: p.ts:P\nconfig_schema:\n  properties:\n    model: { type: string }\nlist: [1, 2]\nwhen: !!timestamp 2001-12-14\nbin: !!binary aGk=\n'
    const first = parseYaml(text, 'a.yaml').value as Doc
    first.config_schema.properties.model.type = 'changed'
    first.list.push(3)
    first.when.setFullYear(1999)
    const second = parseYaml(text, 'b.yaml').value as Doc
    expect(second).toEqual(parseYamlText(text).value)
    expect(second.config_schema.properties.model.type).toBe('string')
    expect(second.list).toEqual([1, 2])
    expect(second.when.getUTCFullYear()).toBe(2001)
    expect(Buffer.isBuffer(second.bin)).toBe(true)
  })

  it('names the file it was asked about, also when the text was remembered from another file', () => {
    const text = 'a: 1\na: 2\n'
    expect(parseYaml(text, 'one.yaml').diagnostics[0]).toMatchObject({ file: 'one.yaml', severity: 'warning' })
    expect(parseYaml(text, 'two.yaml').diagnostics[0]).toMatchObject({ file: 'two.yaml', severity: 'warning' })
    expect(parseYaml(text, 'two.yaml').value).toEqual({ a: 2 })
  })

  it('keeps an own __proto__ key as data, never as a prototype', () => {
    const value = parseYaml('__proto__: { polluted: true }\nname: x\n', 'p.yaml').value as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(value['name']).toBe('x')
  })
})
