import nodemailer from 'nodemailer';
import { DeliveryError, type Delivery, type NotificationSender } from './sender.js';

/**
 * Email over SMTP (`SMTP_URL`, e.g. `smtps://user:pass@mail.example.gov.cn:465` or `smtp://…:587`,
 * STARTTLS when the server offers it). Plain text in UTF-8; the Message-ID is derived from the
 * notification's id so a repeat after a crash is recognisable.
 */
export class SmtpSender implements NotificationSender {
  readonly channel = 'email' as const;
  private readonly transport: nodemailer.Transporter;

  constructor(private readonly o: { url: string; from: string; timeoutMs: number }) {
    this.transport = nodemailer.createTransport(o.url, {
      connectionTimeout: o.timeoutMs,
      greetingTimeout: o.timeoutMs,
      socketTimeout: o.timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[1]);
  }

  async send(d: Delivery): Promise<void> {
    const domain = /@([^>\s]+)>?$/.exec(this.o.from)?.[1] ?? 'localhost';
    try {
      await this.transport.sendMail({
        from: this.o.from,
        to: d.recipient,
        subject: d.subject,
        text: d.text,
        messageId: `<${d.id}@${domain}>`,
        headers: { 'X-Notification-Id': d.id },
      });
    } catch (e) {
      const err = e as Error & { responseCode?: number; code?: string };
      throw new DeliveryError(
        `邮件服务器未接收${err.responseCode ? `（${err.responseCode}）` : err.code ? `（${err.code}）` : ''}：${err.message.slice(0, 160)}`,
      );
    }
  }

  close(): void {
    this.transport.close();
  }
}
