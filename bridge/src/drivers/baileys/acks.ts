/**
 * WhatsApp's server acknowledges every message stanza with `<ack class="message" id=…>`, carrying
 * `error="<code>"` when it refused the message (463: the number is restricted). Baileys does not
 * wait for it; a send does, for up to SEND_ACK_TIMEOUT_MS, so a refusal is answered to the caller.
 */
import type { BinaryNode } from '@whiskeysockets/baileys';

export interface AckWait {
  /** the error code of a negative ack; undefined for a positive ack or when none came in time */
  result: Promise<string | undefined>;
  cancel(): void;
}

export class AckWaiter {
  private readonly waiting = new Map<string, (error: string | undefined) => void>();

  constructor(private readonly timeoutMs: number) {}

  /** Call before sending, so an ack that is faster than the send's own promise is not missed. */
  expect(messageId: string): AckWait {
    let settle!: (error: string | undefined) => void;
    const result = new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => settle(undefined), this.timeoutMs);
      settle = (error) => { clearTimeout(timer); this.waiting.delete(messageId); resolve(error); };
    });
    this.waiting.set(messageId, settle);
    return { result, cancel: () => settle(undefined) };
  }

  isWaiting(messageId: string): boolean { return this.waiting.has(messageId); }

  /** The socket's `CB:ack,class:message` listener. */
  onAck = (node: BinaryNode): void => {
    const id = node.attrs.id;
    if (id) this.waiting.get(id)?.(node.attrs.error);
  };
}
