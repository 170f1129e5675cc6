import type { Channel } from '../domain/notification.js';

/** What a channel is given to send: one row of the outbox. */
export interface Delivery {
  id: string;
  kind: string;
  channel: Channel;
  recipient: string;
  subject: string;
  text: string;
  payload: Record<string, unknown>;
  attempt: number;
}

/**
 * A channel adapter. `send` resolves once the receiver took the message and throws otherwise (the
 * outbox retries). An adapter may be called again for a message it already delivered (a crash between
 * sending and recording): receivers drop repeats by the notification id.
 */
export interface NotificationSender {
  readonly channel: Channel;
  send(d: Delivery): Promise<void>;
}

/** A failed delivery, with a short reason an administrator reads in the dead-letter list. */
export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}
