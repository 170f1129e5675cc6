import type { IncomingMessage, ServerResponse } from 'node:http';

/** The largest JSON body accepted, and how deep it may nest: past either, the body is refused unparsed. */
export const BODY_LIMIT = '1mb';
export const MAX_JSON_DEPTH = 32;

export class BodyTooDeepError extends Error {
  readonly status = 400;
  readonly code = 'BODY_TOO_DEEP';
  constructor(readonly limit: number) {
    super(`请求数据嵌套层级过深（不超过 ${limit} 层）`);
  }
}

/**
 * Counts the nesting of a JSON text in one pass over its bytes, outside strings, and throws past `max`:
 * run before JSON.parse, so a body built to make parsing or validation recurse costs one scan, not a crash.
 */
export function assertJsonDepth(buf: Buffer, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw new BodyTooDeepError(max);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** The body parser's refusals as the platform's JSON errors in Chinese (they happen before any Nest pipe). */
export function bodyErrorHandler(
  err: { type?: string; code?: string; status?: number; message?: string },
  _req: IncomingMessage,
  res: ServerResponse,
  next: (err?: unknown) => void,
): void {
  const send = (status: number, code: string, message: string) => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ code, message }));
  };
  if (err instanceof BodyTooDeepError || err?.code === 'BODY_TOO_DEEP')
    return send(400, 'BODY_TOO_DEEP', err.message ?? `请求数据嵌套层级过深（不超过 ${MAX_JSON_DEPTH} 层）`);
  if (err?.type === 'entity.too.large')
    return send(413, 'BODY_TOO_LARGE', `请求数据过大（不超过 ${BODY_LIMIT}）`);
  if (err?.type === 'entity.parse.failed') return send(400, 'MALFORMED_JSON', '请求数据不是有效的 JSON');
  if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported')
    return send(415, 'UNSUPPORTED_ENCODING', '请求数据的编码不受支持，请使用 UTF-8');
  next(err);
}

/** Field paths (`household.0.name`) of strings holding a NUL character, which no text field may hold. */
export function nulFields(value: unknown, prefix = '', out: string[] = [], depth = 0): string[] {
  if (depth > MAX_JSON_DEPTH) return out;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) out.push(prefix || '(body)');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulFields(v, prefix ? `${prefix}.${i}` : String(i), out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nulFields(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  }
  return out;
}
