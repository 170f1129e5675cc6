import { postSigned } from './http-post.js';
import type { Delivery, NotificationSender } from './sender.js';

/**
 * Signed webhooks: the body is the notification's payload with its id, kind, subject and time; the
 * `X-Signature` header is an HMAC-SHA256 over the timestamp and the body with the shared secret.
 */
export class WebhookSender implements NotificationSender {
  readonly channel = 'webhook' as const;

  constructor(private readonly o: { secret: string; timeoutMs: number; now: () => Date }) {}

  async send(d: Delivery): Promise<void> {
    await postSigned(
      d.recipient,
      this.o.secret,
      d.id,
      {
        id: d.id,
        kind: d.kind,
        subject: d.subject,
        text: d.text,
        data: d.payload,
        sentAt: this.o.now().toISOString(),
      },
      { timeoutMs: this.o.timeoutMs, now: this.o.now, userAgent: 'social-assistance-platform/webhook' },
    );
  }
}
