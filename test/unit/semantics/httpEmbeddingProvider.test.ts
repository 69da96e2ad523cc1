import * as assert from 'node:assert/strict';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { SemanticError } from '../../../src/core/semantics/errors';
import { HttpEmbeddingProvider } from '../../../src/core/semantics/httpEmbeddingProvider';
import { buildSemanticPrior } from '../../../src/core/semantics/prior';

/** Deterministic fake embedding of a text: (length, vowel count, word count). */
const fakeVec = (t: string): number[] => [t.length, (t.match(/[aeiou]/g) ?? []).length, t.split(' ').length];

interface Seen {
  url: string;
  auth?: string;
  body: { model: string; input: string[]; encoding_format?: string };
}

/** Loopback server mimicking OpenAI /v1/embeddings and Ollama /api/embed, with failure modes chosen per model. */
function startServer(): Promise<{ base: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  let failuresLeft = 1;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', c => {
      raw += c;
    });
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ url: req.url ?? '', auth: req.headers.authorization, body });
      const send = (status: number, obj: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(typeof obj === 'string' ? obj : JSON.stringify(obj));
      };
      if (body.model === 'hang') return; // never answers → client timeout
      if (body.model === 'flaky' && failuresLeft-- > 0) return send(503, { error: 'warming up' });
      if (body.model === 'nokey' && req.headers.authorization !== 'Bearer sk-test')
        return send(401, { error: { message: 'invalid api key' } });
      if (body.model === 'garbage') return send(200, '<html>proxy</html>');
      if (body.model === 'short') return send(200, { data: [{ index: 0, embedding: [1, 2, 3] }] });
      if (req.url === '/v1/embeddings') {
        // Reverse the array order on purpose: clients must sort by `index`.
        const data = body.input.map((t: string, index: number) => ({ object: 'embedding', index, embedding: fakeVec(t) })).reverse();
        return send(200, { object: 'list', data, model: body.model });
      }
      if (req.url === '/api/embed') return send(200, { model: body.model, embeddings: body.input.map(fakeVec) });
      send(404, { error: 'not found' });
    });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        base: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise(r => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    }),
  );
}

describe('semantics/httpEmbeddingProvider (loopback server)', () => {
  let srv: Awaited<ReturnType<typeof startServer>>;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv.close();
  });
  beforeEach(() => {
    srv.seen.length = 0;
  });

  it('OpenAI-compatible: sends model/input/key, batches, and orders results by index', async () => {
    const p = new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1/`, model: 'm', apiKey: 'sk-test', batchSize: 2 });
    const texts = ['one', 'two words', 'three more words'];
    const r = await p.embed(texts);
    assert.deepEqual(
      r.vectors.map(v => Array.from(v)),
      texts.map(fakeVec),
    );
    assert.equal(r.dims, 3);
    assert.equal(srv.seen.length, 2, 'two batches of ≤ 2');
    assert.equal(srv.seen[0].url, '/v1/embeddings');
    assert.equal(srv.seen[0].auth, 'Bearer sk-test');
    assert.deepEqual(srv.seen[0].body, { model: 'm', input: ['one', 'two words'], encoding_format: 'float' });
    assert.equal(p.source.location, `${srv.base}/v1`);
    assert.ok(!JSON.stringify(p.source).includes('sk-test'), 'key never in provenance');
  });

  it('Ollama native /api/embed', async () => {
    const p = new HttpEmbeddingProvider({ api: 'ollama', baseUrl: srv.base, model: 'nomic-embed-text' });
    const r = await p.embed(['a b', 'cde']);
    assert.deepEqual(
      r.vectors.map(v => Array.from(v)),
      [fakeVec('a b'), fakeVec('cde')],
    );
    assert.equal(srv.seen[0].url, '/api/embed');
    assert.equal(srv.seen[0].auth, undefined);
  });

  it('builds a frozen prior through the endpoint, with endpoint provenance', async () => {
    const p = new HttpEmbeddingProvider({ api: 'ollama', baseUrl: srv.base, model: 'e' });
    const prior = await buildSemanticPrior({
      classes: ['x', 'y', 'z'],
      prompts: { x: ['aaa'], y: ['b b b b'], z: ['ccccccc oo'] },
      provider: p,
    });
    assert.equal(prior.provider, 'ollama');
    assert.equal(prior.model, 'e');
    assert.equal(prior.provenance.source.location, srv.base);
    assert.equal(prior.dims, 3);
  });

  it('times out with a typed error instead of hanging', async () => {
    const p = new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1`, model: 'hang', timeoutMs: 150, retries: 0 });
    await assert.rejects(
      p.embed(['x']),
      (e: unknown) => e instanceof SemanticError && e.code === 'endpoint-timeout' && /within 150 ms/.test(e.message),
    );
  });

  it('honours a caller cancellation (already aborted signal) without retrying', async () => {
    const p = new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1`, model: 'hang', timeoutMs: 10_000, retries: 3 });
    const t0 = Date.now();
    await assert.rejects(p.embed(['x'], AbortSignal.abort()), (e: unknown) => e instanceof SemanticError && /cancelled/.test(e.message));
    assert.ok(Date.now() - t0 < 1000);
  });

  it('retries a 503 once, then succeeds', async () => {
    const p = new HttpEmbeddingProvider({ api: 'ollama', baseUrl: srv.base, model: 'flaky', retries: 1 });
    const r = await p.embed(['abc']);
    assert.deepEqual(Array.from(r.vectors[0]), fakeVec('abc'));
    assert.equal(srv.seen.length, 2);
  });

  it('clear errors: 401, 404, non-JSON body, wrong count, refused connection, bad URL', async () => {
    const code =
      (c: string, re: RegExp) =>
      (e: unknown): boolean =>
        e instanceof SemanticError && e.code === c && re.test(e.message);
    await assert.rejects(
      new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1`, model: 'nokey', apiKey: 'wrong' }).embed(['x']),
      (e: unknown) => code('endpoint-http', /HTTP 401.*check the API key/)(e) && !(e as Error).message.includes('wrong'),
    );
    await assert.rejects(
      new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/nope`, model: 'm' }).embed(['x']),
      code('endpoint-http', /HTTP 404.*base URL/),
    );
    await assert.rejects(
      new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1`, model: 'garbage' }).embed(['x']),
      code('endpoint-response', /expected a JSON body/),
    );
    await assert.rejects(
      new HttpEmbeddingProvider({ api: 'openai', baseUrl: `${srv.base}/v1`, model: 'short' }).embed(['x', 'y']),
      code('endpoint-response', /expected "data" with 2 items, got 1/),
    );
    // A port nobody listens on (the server's port after it is closed would race; port 9 on loopback is discard/closed).
    await assert.rejects(
      new HttpEmbeddingProvider({ api: 'ollama', baseUrl: 'http://127.0.0.1:9', model: 'm', retries: 0, timeoutMs: 2000 }).embed(['x']),
      (e: unknown) => e instanceof SemanticError && (e.code === 'endpoint-network' || e.code === 'endpoint-timeout'),
    );
    assert.throws(
      () => new HttpEmbeddingProvider({ api: 'openai', baseUrl: 'not a url', model: 'm' }),
      code('bad-params', /not a valid URL/),
    );
    assert.throws(() => new HttpEmbeddingProvider({ api: 'openai', baseUrl: 'file:///etc', model: 'm' }), code('bad-params', /http\(s\)/));
  });
});
