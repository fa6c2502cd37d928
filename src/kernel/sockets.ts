/**
 * The five ZeroMQ sockets of a kernel (shell, control, stdin: ROUTER; iopub: PUB; heartbeat:
 * REP echo), bound from a connection file. Incoming messages are authenticated here: a message
 * whose signature is missing or wrong is logged and dropped before any handler sees it.
 *
 * zeromq 6 allows one pending `send` per socket, so every socket has a send queue.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type * as Zmq from 'zeromq';
import { decode, encode, Signer, WireError, type ConnectionInfo, type Message } from './wire.js';

/** The channels that carry messages. */
export type Channel = 'shell' | 'control' | 'stdin' | 'iopub';

/** Receives authenticated messages from one channel. */
export type MessageHandler = (msg: Message) => void;

/** Where the kernel writes its own log lines (never the user's cell output). */
export type Logger = (line: string) => void;

/** zeromq as tslab loads it (tslab depends on zeromq 6; loading it through tslab keeps one copy). */
function loadZmq(): typeof Zmq {
  const fromTslab = createRequire(createRequire(import.meta.url).resolve('tslab/package.json'));
  return fromTslab('zeromq') as typeof Zmq;
}

/** Serialises sends on one socket (zeromq 6 rejects a send while another is pending). */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: Zmq.Writable & Zmq.Socket, private readonly log: Logger) {}

  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(
      () => (this.socket.closed ? undefined : this.socket.send(frames)),
    ).catch((e: unknown) => this.log(`send failed: ${(e as Error).message}`));
    return this.tail;
  }

  flush(): Promise<void> {
    return this.tail;
  }
}

/** The bound sockets of one kernel. */
export class KernelSockets {
  private readonly queues: Record<Channel, SendQueue>;
  private readonly all: Zmq.Socket[];

  private constructor(
    private readonly sockets: { shell: Zmq.Router; control: Zmq.Router; stdin: Zmq.Router; iopub: Zmq.Publisher; hb: Zmq.Reply },
    readonly signer: Signer,
    private readonly log: Logger,
  ) {
    const { shell, control, stdin, iopub, hb } = sockets;
    this.queues = { shell: new SendQueue(shell, log), control: new SendQueue(control, log), stdin: new SendQueue(stdin, log), iopub: new SendQueue(iopub, log) };
    this.all = [shell, control, stdin, iopub, hb];
  }

  /** Creates and binds the sockets of `conn`. */
  static async bind(conn: ConnectionInfo, log: Logger): Promise<KernelSockets> {
    const zmq = loadZmq();
    const sockets = { shell: new zmq.Router(), control: new zmq.Router(), stdin: new zmq.Router(), iopub: new zmq.Publisher(), hb: new zmq.Reply() };
    const address = (port: number) => (conn.transport === 'ipc' ? `ipc://${conn.ip}-${port}` : `${conn.transport}://${conn.ip}:${port}`);
    await Promise.all([
      sockets.shell.bind(address(conn.shell_port)),
      sockets.control.bind(address(conn.control_port)),
      sockets.stdin.bind(address(conn.stdin_port)),
      sockets.iopub.bind(address(conn.iopub_port)),
      sockets.hb.bind(address(conn.hb_port)),
    ]);
    const ks = new KernelSockets(sockets, new Signer(conn.key), log);
    void ks.echoHeartbeat();
    return ks;
  }

  /** Starts delivering authenticated messages of `channel` to `handler` (forged ones are dropped and logged). */
  listen(channel: Exclude<Channel, 'iopub'>, handler: MessageHandler): void {
    const socket = this.sockets[channel];
    void (async () => {
      try {
        for await (const frames of socket) {
          let msg: Message;
          try {
            msg = decode(frames, this.signer);
          } catch (e) {
            if (!(e instanceof WireError)) throw e;
            this.log(`${channel}: dropped ${e.message}`);
            continue;
          }
          try {
            handler(msg);
          } catch (e) {
            this.log(`${channel}: handler failed on ${msg.header.msg_type}: ${(e as Error).stack ?? e}`);
          }
        }
      } catch (e) {
        if (!socket.closed) this.log(`${channel}: receive loop ended: ${(e as Error).message}`);
      }
    })();
  }

  /** Signs and sends `msg` on `channel` (in order with earlier sends on that channel). */
  send(channel: Channel, msg: Message<unknown>): Promise<void> {
    return this.queues[channel].send(encode(msg, this.signer));
  }

  /** Waits for every queued send, then closes all sockets. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.flush()));
    for (const s of this.all) if (!s.closed) s.close();
  }

  private async echoHeartbeat(): Promise<void> {
    const hb = this.sockets.hb;
    try {
      for await (const frames of hb) await hb.send(frames);
    } catch (e) {
      if (!hb.closed) this.log(`heartbeat ended: ${(e as Error).message}`);
    }
  }
}
