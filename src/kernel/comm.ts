/**
 * Jupyter comms: symmetric, bidirectional channels between kernel objects and front-end
 * objects (the base of Jupyter widgets). Either side opens a comm to a *target* registered by
 * name on the other side; both sides then exchange `comm_msg` with JSON data and optional binary
 * buffers, and either side closes it. Follows ipykernel's `CommManager`/`Comm`: an open request
 * to an unknown target is answered by closing the comm.
 *
 * In a cell:
 * ```ts
 * import { comms } from 'transportlab/kernel';
 * comms.registerTarget('echo', (comm, open) => comm.onMsg((m) => comm.send(m.data, {}, m.buffers)));
 * ```
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { ArgumentError } from '../core/errors.js';
import { getPublisher } from './context.js';
import { toBuffer, type Header, type Message } from './wire.js';

/** Binary data accepted for a buffer. */
export type BufferLike = ArrayBuffer | ArrayBufferView | Buffer;

/** One message received on a comm (or the message that opened it). */
export interface CommMessage {
  /** The JSON payload (`content.data`). */
  data: any; // user JSON, typed by the receiver
  metadata: Record<string, unknown>;
  /** The binary buffers sent with the message. */
  buffers: Buffer[];
  header: Header;
}

/** Called when the other side opens a comm to a registered target. */
export type CommTarget = (comm: Comm, open: CommMessage) => void | Promise<void>;

type Handler = (msg: CommMessage) => void | Promise<void>;

/** A kernel-side comm. `new Comm(target, data)` opens one to a front-end target. */
export class Comm {
  /** The comm's id (shared by both sides). */
  readonly commId: string;
  private msgHandler?: Handler;
  private closeHandler?: Handler;
  private closed = false;
  private readonly manager: CommManager;

  /**
   * Opens a comm from the kernel to the front-end target `targetName`, sending `data`,
   * `metadata` and `buffers` with the `comm_open`.
   */
  constructor(readonly targetName: string, data: unknown = {}, metadata: Record<string, unknown> = {}, buffers: BufferLike[] = [], options: { commId?: string; manager?: CommManager } = {}) {
    if (typeof targetName !== 'string' || targetName === '') throw new ArgumentError('targetName', 'a non-empty string', targetName);
    this.commId = options.commId ?? randomUUID().replace(/-/g, '');
    this.manager = options.manager ?? comms;
    this.manager.register(this);
    if (options.commId === undefined) publishComm('comm_open', { comm_id: this.commId, target_name: targetName, data }, metadata, buffers);
  }

  /** Whether the comm was closed (by either side). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends `data` (JSON) with optional metadata and binary buffers to the other side. */
  send(data: unknown, metadata: Record<string, unknown> = {}, buffers: BufferLike[] = []): void {
    if (this.closed) throw new ArgumentError('comm', 'an open comm', `closed comm ${this.commId}`);
    publishComm('comm_msg', { comm_id: this.commId, data }, metadata, buffers);
  }

  /** Closes the comm, telling the other side (idempotent). */
  close(data: unknown = {}, metadata: Record<string, unknown> = {}, buffers: BufferLike[] = []): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.unregister(this);
    publishComm('comm_close', { comm_id: this.commId, data }, metadata, buffers);
  }

  /** Sets the handler of messages from the other side (replacing any previous one). */
  onMsg(handler: Handler): void {
    this.msgHandler = handler;
  }

  /** Sets the handler called when the other side closes the comm. */
  onClose(handler: Handler): void {
    this.closeHandler = handler;
  }

  /** @internal Delivers a message from the other side. */
  async handleMsg(msg: CommMessage): Promise<void> {
    await this.msgHandler?.(msg);
  }

  /** @internal The other side closed the comm. */
  async handleClose(msg: CommMessage): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeHandler?.(msg);
  }
}

function publishComm(msgType: string, content: Record<string, unknown>, metadata: Record<string, unknown>, buffers: BufferLike[]): void {
  const publish = getPublisher();
  if (!publish) throw new ArgumentError('comm', 'a running Jupyter kernel', 'no kernel in this process');
  publish(msgType, content, { metadata, buffers: buffers.map(toBuffer) });
}

/** The comms and targets of the kernel. */
export class CommManager {
  private readonly targets = new Map<string, CommTarget>();
  private readonly open = new Map<string, Comm>();

  constructor(private readonly log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)) {}

  /** Registers `target` under `name`; the front-end can then open comms to it. */
  registerTarget(name: string, target: CommTarget): void {
    if (typeof name !== 'string' || name === '') throw new ArgumentError('name', 'a non-empty string', name);
    if (typeof target !== 'function') throw new ArgumentError('target', 'a function (comm, openMessage) => void', target);
    this.targets.set(name, target);
  }

  /** Removes the target `name`. */
  unregisterTarget(name: string): void {
    this.targets.delete(name);
  }

  /** The open comms, optionally only those of one target (for `comm_info_reply`). */
  info(targetName?: string): Record<string, { target_name: string }> {
    const out: Record<string, { target_name: string }> = {};
    for (const c of this.open.values()) if (targetName === undefined || c.targetName === targetName) out[c.commId] = { target_name: c.targetName };
    return out;
  }

  /** The open comm with this id. */
  get(commId: string): Comm | undefined {
    return this.open.get(commId);
  }

  /** @internal */
  register(comm: Comm): void {
    this.open.set(comm.commId, comm);
  }

  /** @internal */
  unregister(comm: Comm): void {
    this.open.delete(comm.commId);
  }

  /** Handles `comm_open`, `comm_msg` and `comm_close` from the front-end. */
  async handle(msg: Message): Promise<void> {
    const content = msg.content as { comm_id?: string; target_name?: string; data?: unknown };
    const commMsg: CommMessage = { data: content.data ?? {}, metadata: msg.metadata, buffers: msg.buffers, header: msg.header };
    const commId = content.comm_id;
    if (typeof commId !== 'string') {
      this.log(`${msg.header.msg_type} without comm_id dropped`);
      return;
    }
    try {
      switch (msg.header.msg_type) {
        case 'comm_open': {
          const target = this.targets.get(content.target_name ?? '');
          const comm = new Comm(content.target_name || 'unknown', undefined, undefined, undefined, { commId, manager: this });
          if (!target) {
            this.log(`no comm target registered: ${content.target_name}`);
            comm.close();
            return;
          }
          await target(comm, commMsg);
          return;
        }
        case 'comm_msg': {
          const comm = this.open.get(commId);
          if (!comm) this.log(`comm_msg for unknown comm ${commId}`);
          await comm?.handleMsg(commMsg);
          return;
        }
        case 'comm_close': {
          const comm = this.open.get(commId);
          if (!comm) return;
          this.open.delete(commId);
          await comm.handleClose(commMsg);
          return;
        }
      }
    } catch (e) {
      this.log(`error in ${msg.header.msg_type} handler of comm ${commId}: ${(e as Error)?.stack ?? e}`);
    }
  }
}

/** The comm manager of this process's kernel. */
export const comms = new CommManager();
