import { PepperpyPlugin } from '@pepperpy/plugin'

interface ChatResponse {
  choices?: Array<{ message?: { content?: string } }>
  error?: { message?: string }
}

/** Chat completions over `fetch`; config from call, alias, env (`OPENAI_COMPATIBLE_API_KEY`...) or the manifest. */
export class OpenAICompatibleLLM extends PepperpyPlugin {
  baseUrl = 'https://api.openai.com/v1'
  model = 'gpt-4o-mini'
  apiKey = ''
  temperature = 0.2
  timeoutMs = 30_000

  async generate(prompt: string, signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` },
      body: JSON.stringify({ model: this.model, temperature: this.temperature, messages: [{ role: 'user', content: prompt }] }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    const body = (await response.json().catch(() => ({}))) as ChatResponse
    if (!response.ok) throw new Error(`${this.pluginId}: HTTP ${response.status}: ${body.error?.message ?? response.statusText}`)
    const content = body.choices?.[0]?.message?.content
    if (typeof content !== 'string') throw new Error(`${this.pluginId}: the response has no choices[0].message.content`)
    return content
  }
}
