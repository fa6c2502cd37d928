/**
 * The Jupyter wire protocol (messaging protocol 5.3): how one message travels as ZeroMQ frames,
 * and its HMAC signature.
 *
 * ```
 * [identity…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffer…]
 * ```
 *
 * The signature is HMAC-SHA256 (hex) under the connection key over the four JSON frames
 * header, parent_header, metadata and content, and nothing else: binary buffers are extra frames
 * that are not signed (as in jupyter_client's `Session.sign`). Signatures are compared in constant
 * time. An empty key disables signing (the protocol's "no authentication" mode).
 *
 * @module
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ArgumentError } from '../core/errors.js';

/** The frame separating routing identities from the message. */
export const DELIMITER = Buffer.from('<IDS|MSG>');

/** The messaging protocol version this kernel speaks. */
export const PROTOCOL_VERSION = '5.3';

/** A kernel connection file (written by the launcher, e.g. jupyter_client). */
export interface ConnectionInfo {
  transport: string;
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

/** A message header. */
export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

/** One Jupyter message, as received or to be sent. */
export interface Message<C = Record<string, unknown>> {
  /** ZeroMQ routing identities (shell/control/stdin) or the IOPub topic. */
  identities: Buffer[];
  header: Header;
  /** The header of the request this message answers, or `{}`. */
  parent_header: Header | Record<string, never>;
  metadata: Record<string, unknown>;
  content: C;
  /** Binary buffers: raw frames after the content, not signed. */
  buffers: Buffer[];
}

/** Why an incoming message was rejected. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** Reads and checks a connection file. */
export function readConnectionFile(path: string): ConnectionInfo {
  let info: ConnectionInfo;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as ConnectionInfo;
  } catch (e) {
    throw new ArgumentError('--connection-file', 'a readable JSON connection file', `${path} (${(e as Error).message})`);
  }
  for (const port of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as const) {
    if (!Number.isInteger(info[port])) throw new ArgumentError(`connection file ${port}`, 'an integer port', info[port]);
  }
  if (typeof info.key !== 'string') throw new ArgumentError('connection file key', 'a string', info.key);
  info.transport ??= 'tcp';
  info.signature_scheme ||= 'hmac-sha256';
  if (info.key !== '' && info.signature_scheme !== 'hmac-sha256') {
    throw new ArgumentError('connection file signature_scheme', '"hmac-sha256"', info.signature_scheme);
  }
  return info;
}

/** Signs and verifies messages with the connection key (HMAC-SHA256 over the four JSON frames). */
export class Signer {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = Buffer.from(key, 'utf8');
  }

  /** Whether signing is on (a non-empty key). */
  get enabled(): boolean {
    return this.key.length > 0;
  }

  /** The hex signature of [header, parent_header, metadata, content]; '' when signing is off. */
  sign(parts: Buffer[]): string {
    if (!this.enabled) return '';
    const h = createHmac('sha256', this.key);
    for (const p of parts) h.update(p);
    return h.digest('hex');
  }

  /** Constant-time check of `signature` against the expected one. Always true when signing is off. */
  verify(signature: Buffer, parts: Buffer[]): boolean {
    if (!this.enabled) return true;
    const expected = Buffer.from(this.sign(parts), 'ascii');
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

/**
 * Parses and authenticates the frames of one incoming message.
 * @throws WireError when the delimiter is missing, the signature is missing or wrong, or a JSON
 *   frame does not parse. The caller drops such a message.
 */
export function decode(frames: Buffer[], signer: Signer): Message {
  const delim = frames.findIndex((f) => f.equals(DELIMITER));
  if (delim < 0) throw new WireError('message without the <IDS|MSG> delimiter');
  if (frames.length < delim + 6) throw new WireError(`message with ${frames.length - delim - 1} frames after the delimiter, expected at least 5`);
  const signature = frames[delim + 1];
  const parts = frames.slice(delim + 2, delim + 6);
  if (!signer.verify(signature, parts)) {
    throw new WireError(signature.length === 0 ? 'unsigned message' : 'message with an invalid signature');
  }
  let json: unknown[];
  try {
    json = parts.map((p) => JSON.parse(p.toString('utf8')));
  } catch (e) {
    throw new WireError(`message with malformed JSON: ${(e as Error).message}`);
  }
  const [header, parent_header, metadata, content] = json as [Header, Message['parent_header'], Record<string, unknown>, Record<string, unknown>];
  if (typeof header?.msg_type !== 'string' || typeof header.msg_id !== 'string') throw new WireError('message header without msg_type/msg_id');
  return {
    identities: frames.slice(0, delim),
    header,
    parent_header: parent_header ?? {},
    metadata: metadata ?? {},
    content: content ?? {},
    buffers: frames.slice(delim + 6),
  };
}

/** Serialises and signs a message into frames (buffers are appended unsigned). */
export function encode(msg: Message<unknown>, signer: Signer): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((o) => Buffer.from(JSON.stringify(o), 'utf8'));
  return [...msg.identities, DELIMITER, Buffer.from(signer.sign(parts), 'ascii'), ...parts, ...msg.buffers];
}

/** A fresh header for an outgoing message of this kernel's session. */
export function newHeader(msgType: string, session: string): Header {
  return { msg_id: randomUUID(), session, username: 'kernel', date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** Converts an incoming buffer-like value (Buffer, ArrayBuffer, typed array, DataView) to a Buffer. */
export function toBuffer(b: ArrayBuffer | ArrayBufferView | Buffer): Buffer {
  if (Buffer.isBuffer(b)) return b;
  if (ArrayBuffer.isView(b)) return Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return Buffer.from(b);
}
