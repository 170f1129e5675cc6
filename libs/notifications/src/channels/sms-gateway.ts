import { postSigned } from './http-post.js';
import type { Delivery, NotificationSender } from './sender.js';

/**
 * The provincial SMS gateway, behind this contract (docs/notifications.md, "SMS gateway"): an HTTPS
 * POST of `{ id, phone, text }` in UTF-8 JSON, signed like the webhook; a 2xx answer means the gateway
 * accepted the message. A gateway with another interface gets a small adapter implementing
 * `NotificationSender` with `channel = 'sms'` — nothing else in the platform changes.
 */
export class HttpSmsGateway implements NotificationSender {
  readonly channel = 'sms' as const;

  constructor(private readonly o: { url: string; secret: string; timeoutMs: number; now: () => Date }) {}

  async send(d: Delivery): Promise<void> {
    await postSigned(
      this.o.url,
      this.o.secret,
      d.id,
      { id: d.id, phone: d.recipient, text: d.text },
      { timeoutMs: this.o.timeoutMs, now: this.o.now, userAgent: 'social-assistance-platform/sms' },
    );
  }
}
