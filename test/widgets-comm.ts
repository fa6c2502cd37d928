/**
 * Widget traffic in tests, seen from the kernel: the messages it publishes on IOPub (captured with
 * the kernel's publisher hook) and comm messages arriving as a front-end sends them.
 */
import { comms } from '../src/kernel/comm.js';
import { setPublisher } from '../src/kernel/context.js';
import type { Message } from '../src/kernel/wire.js';

/** One published IOPub message. */
export interface Sent {
  msgType: string;
  content: Record<string, any>;
  metadata: Record<string, unknown>;
  buffers: Buffer[];
}

/** Starts recording what the kernel publishes into `sent` (until `setPublisher(undefined)`). */
export function capture(sent: Sent[]): void {
  setPublisher((msgType, content, extras) => sent.push({ msgType, content: content as Record<string, any>, metadata: extras?.metadata ?? {}, buffers: extras?.buffers ?? [] }));
}

/** Hands the kernel a `comm_msg` with `data` (and `buffers`) for comm `commId`, as from a front-end. */
export function fromFrontend(commId: string, data: unknown, buffers: Buffer[] = []): Promise<void> {
  const header = { msg_id: 'm', session: 's', username: 'u', date: new Date().toISOString(), msg_type: 'comm_msg', version: '5.3' };
  const msg: Message = { identities: [], header, parent_header: {}, metadata: {}, content: { comm_id: commId, data }, buffers };
  return comms.handle(msg);
}
