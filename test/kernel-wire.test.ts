/** The wire protocol: signatures agree with jupyter_client's Session, buffers travel unsigned, forged frames are rejected. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { decode, encode, newHeader, Signer, WireError, DELIMITER, type Message } from '../src/kernel/wire.js';

const KEY = 'a3f9c0de-5b1e-4f0e-9a7d-0123456789ab';

function message(buffers: Buffer[] = []): Message {
  return { identities: [Buffer.from('client-1')], header: newHeader('comm_msg', 's1'), parent_header: {}, metadata: { m: 1 }, content: { comm_id: 'c', data: { x: 'é' } }, buffers };
}

test('signature = HMAC-SHA256 over the four JSON frames, as jupyter_client.Session.sign computes it', () => {
  const frames = encode(message(), new Signer(KEY));
  const d = frames.findIndex((f) => f.equals(DELIMITER));
  const parts = frames.slice(d + 2, d + 6).map((f) => f.toString('utf8'));
  const py = `import sys, json\nfrom jupyter_client.session import Session\ns = Session(key=sys.argv[1].encode())\nprint(s.sign([p.encode() for p in json.loads(sys.stdin.read())]).decode())`;
  const expected = execFileSync('/usr/bin/python3', ['-c', py, KEY], { input: JSON.stringify(parts), encoding: 'utf8' }).trim();
  assert.equal(frames[d + 1].toString('ascii'), expected);
});

test('round trip with binary buffers; buffers are not signed', () => {
  const signer = new Signer(KEY);
  const bufs = [Buffer.from([0, 1, 2, 255]), Buffer.from(new Float32Array([1.5, -2]).buffer)];
  const frames = encode(message(bufs), signer);
  const back = decode(frames, signer);
  assert.deepEqual(back.content, { comm_id: 'c', data: { x: 'é' } });
  assert.deepEqual(back.identities, [Buffer.from('client-1')]);
  assert.deepEqual(back.buffers, bufs);
  // a different buffer keeps the signature valid (buffers are outside the HMAC)
  const swapped = [...frames.slice(0, -1), Buffer.from('other')];
  assert.deepEqual(decode(swapped, signer).buffers[1], Buffer.from('other'));
});

test('wrong key, missing signature, tampered content, missing delimiter are rejected', () => {
  const good = encode(message(), new Signer(KEY));
  const d = good.findIndex((f) => f.equals(DELIMITER));
  assert.throws(() => decode(encode(message(), new Signer('other-key')), new Signer(KEY)), WireError);
  const unsigned = [...good];
  unsigned[d + 1] = Buffer.alloc(0);
  assert.throws(() => decode(unsigned, new Signer(KEY)), /unsigned message/);
  const tampered = [...good];
  tampered[d + 5] = Buffer.from(JSON.stringify({ comm_id: 'c', data: { x: 'forged' } }));
  assert.throws(() => decode(tampered, new Signer(KEY)), /invalid signature/);
  const short = [...good];
  short[d + 1] = good[d + 1].subarray(0, 10);
  assert.throws(() => decode(short, new Signer(KEY)), /invalid signature/);
  assert.throws(() => decode(good.filter((_, i) => i !== d), new Signer(KEY)), /delimiter/);
  // with an empty key (authentication off) unsigned messages are accepted
  assert.equal(decode(encode(message(), new Signer('')), new Signer('')).header.msg_type, 'comm_msg');
});
