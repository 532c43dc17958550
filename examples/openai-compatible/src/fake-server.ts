import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A local stand-in for an OpenAI-compatible server: answers with the reversed prompt; checks the key. */
export async function startFakeServer(apiKey: string): Promise<{ url: string; requests: unknown[]; close(): Promise<void> }> {
  const requests: unknown[] = []
  const server: Server = createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c))
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      if (req.headers.authorization !== `Bearer ${apiKey}`) {
        res.statusCode = 401
        res.end(JSON.stringify({ error: { message: 'invalid api key' } }))
        return
      }
      const body = JSON.parse(raw) as { model: string; messages: Array<{ content: string }> }
      requests.push(body)
      const prompt = body.messages.at(-1)?.content ?? ''
      res.end(
        JSON.stringify({ choices: [{ message: { role: 'assistant', content: `[${body.model}] ${[...prompt].reverse().join('')}` } }] }),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
