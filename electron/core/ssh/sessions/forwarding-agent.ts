// Agent forwarding for one session (off by default). The device's side of the forwarded agent
// talks to this in-process responder; every signature it asks for is first confirmed by the
// person (confirmSign names where the request came from), then signed with its own connect scope.
import { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { GetStreamCallback, IdentityCallback, SignCallback, SigningRequestOptions } from 'ssh2';
import { fingerprintSha256 } from '../../../../native/sk/publickey';
import type { CoreInteraction } from '../../prompts/interaction';
import { AgentFrameReader, AgentMessage, encodeIdentitiesAnswer, encodeMessage, encodeSignResponse, parseSignRequest } from '../agent/protocol';
import type { SkSigner } from '../agent/types';
import { ConnectScope } from './connect-scope';
import type { SessionSignContext } from './types';

class ForwardedAgentStream extends Duplex {
  private readonly reader = new AgentFrameReader();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly signer: SkSigner, private readonly interaction: CoreInteraction, private readonly from: string) {
    super();
  }

  override _read(): void {
    // Replies are pushed as requests complete.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    try {
      for (const req of this.reader.push(chunk)) {
        this.queue = this.queue.then(async () => {
          const reply = await this.answer(req.type, req.body).catch(() => encodeMessage(AgentMessage.Failure));
          if (!this.destroyed) this.push(reply);
        });
      }
      done();
    } catch (err) {
      done(err as Error); // malformed stream: the forwarded channel is closed
    }
  }

  override _final(done: () => void): void {
    void this.queue.then(() => {
      this.push(null);
      done();
    });
  }

  private async answer(type: number, body: Buffer): Promise<Buffer> {
    if (type === AgentMessage.RequestIdentities) return encodeIdentitiesAnswer(await this.signer.identities());
    if (type !== AgentMessage.SignRequest) return encodeMessage(AgentMessage.Failure);
    const req = parseSignRequest(body);
    const known = (await this.signer.identities()).some((id) => id.publicKeyBlob.equals(req.keyBlob));
    if (!known) return encodeMessage(AgentMessage.Failure);
    const origin = `forwarded from ${this.from}`;
    const base = { purpose: `sign a request forwarded from ${this.from}`, hop: this.from };
    const ok = await this.interaction.confirmSign({ keyFingerprint: fingerprintSha256(req.keyBlob), context: base, origin });
    if (!ok) return encodeMessage(AgentMessage.Failure);
    const scope = new ConnectScope();
    try {
      const context: SessionSignContext = { ...base, origin, pinCache: scope };
      return encodeSignResponse(await this.signer.sign(req.keyBlob, req.data, context));
    } finally {
      scope.dispose();
    }
  }
}

/** The agent ssh2 hands forwarded-agent channels to; it never signs for the login itself. */
export class ForwardingAgent extends ssh2.BaseAgent {
  constructor(private readonly signer: SkSigner, private readonly interaction: CoreInteraction, private readonly from: string) {
    super();
  }

  override getIdentities(cb: IdentityCallback): void {
    cb(new Error('the forwarding agent is not used for logins'));
  }

  override sign(_pubKey: unknown, _data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
    const done = typeof options === 'function' ? options : cb;
    done?.(new Error('the forwarding agent is not used for logins'));
  }

  override getStream(cb: GetStreamCallback): void {
    cb(null, new ForwardedAgentStream(this.signer, this.interaction, this.from));
  }
}
