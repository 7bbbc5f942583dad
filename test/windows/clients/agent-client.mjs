// A Windows-side ssh-agent client, run by Windows Node under Wine (test/windows/agent.test.ts):
// connects to the agent's named pipe and asks, per the agent protocol (draft-miller-ssh-agent),
// for the identities, an SSHSIG signature over a message (PROTOCOL.sshsig, as `ssh-keygen -Y sign`
// does through an agent), a signature with a key the agent does not hold, and an ADD_IDENTITY.
// Prints one JSON object. Plain JavaScript: it runs as is, with no build.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';

const REQUEST_IDENTITIES = 11;
const IDENTITIES_ANSWER = 12;
const SIGN_REQUEST = 13;
const SIGN_RESPONSE = 14;
const ADD_IDENTITY = 17;
const SSHSIG_MAGIC = Buffer.from('SSHSIG');
const SSHSIG_VERSION = 1;
const SSHSIG_HASH = 'sha512';
const ARMOR_WIDTH = 70;

const [pipe, messageFile, namespace] = process.argv.slice(2);

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const str = (s) => { const b = Buffer.isBuffer(s) ? s : Buffer.from(s); return Buffer.concat([u32(b.length), b]); };

function reader(buf) {
  let off = 0;
  return {
    u32() { const v = buf.readUInt32BE(off); off += 4; return v; },
    byte() { return buf[off++]; },
    str() { const n = this.u32(); const v = buf.subarray(off, off + n); off += n; return v; },
  };
}

function client(path) {
  const sock = net.connect(path);
  let pending = Buffer.alloc(0);
  const waiters = [];
  sock.on('data', (d) => {
    pending = Buffer.concat([pending, d]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const n = pending.readUInt32BE(0);
      waiters.shift().resolve(pending.subarray(4, 4 + n));
      pending = pending.subarray(4 + n);
    }
  });
  sock.on('error', (e) => { for (const w of waiters.splice(0)) w.reject(e); });
  return {
    ready: new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); }),
    request(type, body = Buffer.alloc(0)) {
      const msg = Buffer.concat([Buffer.from([type]), body]);
      return new Promise((resolve, reject) => { waiters.push({ resolve, reject }); sock.write(Buffer.concat([u32(msg.length), msg])); });
    },
    close() { sock.end(); },
  };
}

async function main() {
  const agent = client(pipe);
  await agent.ready;
  const answer = reader(await agent.request(REQUEST_IDENTITIES));
  if (answer.byte() !== IDENTITIES_ANSWER) throw new Error('no IDENTITIES_ANSWER');
  const identities = [];
  for (let n = answer.u32(); n > 0; n--) identities.push({ blob: answer.str(), comment: answer.str().toString() });

  const key = identities[0].blob;
  const message = fs.readFileSync(messageFile);
  const signed = Buffer.concat([SSHSIG_MAGIC, str(namespace), str(''), str(SSHSIG_HASH), str(crypto.createHash(SSHSIG_HASH).update(message).digest())]);
  const reply = reader(await agent.request(SIGN_REQUEST, Buffer.concat([str(key), str(signed), u32(0)])));
  const replyType = reply.byte();
  let armored = null;
  if (replyType === SIGN_RESPONSE) {
    const sshsig = Buffer.concat([SSHSIG_MAGIC, u32(SSHSIG_VERSION), str(key), str(namespace), str(''), str(SSHSIG_HASH), str(reply.str())]);
    const lines = sshsig.toString('base64').match(new RegExp(`.{1,${ARMOR_WIDTH}}`, 'g'));
    armored = `-----BEGIN SSH SIGNATURE-----\n${lines.join('\n')}\n-----END SSH SIGNATURE-----\n`;
  }

  // A key the agent does not hold: the same blob with its last byte changed.
  const stranger = Buffer.from(key);
  stranger[stranger.length - 1] ^= 0xff;
  const unknownKey = (await agent.request(SIGN_REQUEST, Buffer.concat([str(stranger), str(signed), u32(0)])))[0];
  const addIdentity = (await agent.request(ADD_IDENTITY, str('ssh-ed25519')))[0];
  agent.close();
  process.stdout.write(JSON.stringify({
    identities: identities.map((i) => ({ blob: i.blob.toString('base64'), comment: i.comment })),
    signReply: replyType, signature: armored, unknownKey, addIdentity,
  }));
}

await main().catch((err) => { process.stderr.write(`${err.stack}\n`); process.exit(1); });
