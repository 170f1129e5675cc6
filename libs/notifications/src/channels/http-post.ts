import { DeliveryError } from './sender.js';
import { NOTIFICATION_ID_HEADER, SIGNATURE_HEADER, signBody } from './signature.js';

/** POSTs a signed JSON body; any 2xx is taken, anything else (or no answer in `timeoutMs`) fails. */
export async function postSigned(
  url: string,
  secret: string,
  id: string,
  body: unknown,
  o: { timeoutMs: number; now: () => Date; userAgent: string },
): Promise<void> {
  const text = JSON.stringify(body);
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': o.userAgent,
        [SIGNATURE_HEADER]: signBody(secret, text, Math.floor(o.now().getTime() / 1000)),
        [NOTIFICATION_ID_HEADER]: id,
      },
      body: text,
      redirect: 'manual',
      signal: AbortSignal.timeout(o.timeoutMs),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === 'TimeoutError' ? `${o.timeoutMs} ms 内无应答` : (err.cause?.code ?? err.message);
    throw new DeliveryError(`无法送达 ${new URL(url).host}：${why}`);
  }
  // The body is read (and dropped) so the connection can be reused.
  const answer = (await res.text().catch(() => '')).slice(0, 200);
  if (res.status < 200 || res.status >= 300)
    throw new DeliveryError(`接收方答复 HTTP ${res.status}${answer ? `：${answer}` : ''}`);
}
