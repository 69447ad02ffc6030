/**
 * A local fake WhatsApp Web endpoint speaking the real wire protocol: the Noise XX handshake
 * (Noise_XX_25519_AESGCM_SHA256 with WhatsApp's prologue), a certificate chain, then encrypted
 * binary nodes. Baileys is pointed at it with `waWebSocketUrl`; it never reaches the real service.
 *
 * The one concession: WhatsApp's root certificate key is not ours, so the test installs its own
 * root key as the trusted one (like a test CA) with `trustFakeRoot()`.
 */
import {
  aesDecryptGCM, aesEncryptGCM, Curve, decodeBinaryNode, encodeBinaryNode, hkdf, NOISE_MODE, NOISE_WA_HEADER,
  proto, sha256, WA_CERT_DETAILS, type BinaryNode, type KeyPair,
} from '@whiskeysockets/baileys';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

const root = Curve.generateKeyPair();

/** Makes Baileys trust the fake server's certificate chain (process-wide, tests only). */
export function trustFakeRoot(): void {
  WA_CERT_DETAILS.PUBLIC_KEY.set(root.public);
}

const iv = (counter: number): Uint8Array => {
  const bytes = new Uint8Array(12);
  new DataView(bytes.buffer).setUint32(8, counter);
  return bytes;
};

/** The responder side of WhatsApp's Noise handshake, then the transport. */
class NoiseResponder {
  private hash: Buffer;
  private salt: Buffer;
  private key: Buffer;
  private counter = 0;
  private transport: { enc: Buffer; dec: Buffer; readCounter: number; writeCounter: number } | undefined;

  constructor() {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.length === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.key = this.hash;
    this.authenticate(NOISE_WA_HEADER);
  }

  authenticate(data: Uint8Array): void { this.hash = sha256(Buffer.concat([this.hash, data])); }

  mix(data: Uint8Array): void {
    const out = hkdf(Buffer.from(data), 64, { salt: this.salt, info: '' });
    this.salt = Buffer.from(out.subarray(0, 32));
    this.key = Buffer.from(out.subarray(32));
    this.counter = 0;
  }

  encrypt(plain: Uint8Array): Buffer {
    if (this.transport) return aesEncryptGCM(plain, this.transport.enc, iv(this.transport.writeCounter++), Buffer.alloc(0));
    const out = aesEncryptGCM(plain, this.key, iv(this.counter++), this.hash);
    this.authenticate(out);
    return out;
  }

  decrypt(cipher: Uint8Array): Buffer {
    if (this.transport) return aesDecryptGCM(cipher, this.transport.dec, iv(this.transport.readCounter++), Buffer.alloc(0));
    const out = aesDecryptGCM(cipher, this.key, iv(this.counter++), this.hash);
    this.authenticate(cipher);
    return out;
  }

  finish(): void {
    const out = hkdf(Buffer.alloc(0), 64, { salt: this.salt, info: '' });
    this.transport = { enc: Buffer.from(out.subarray(32)), dec: Buffer.from(out.subarray(0, 32)), readCounter: 0, writeCounter: 0 };
  }
}

function certChain(serverStatic: KeyPair): Uint8Array {
  const intermediate = Curve.generateKeyPair();
  const Details = proto.CertChain.NoiseCertificate.Details;
  const interDetails = Details.encode({ serial: 1, issuerSerial: WA_CERT_DETAILS.SERIAL, key: intermediate.public }).finish();
  const leafDetails = Details.encode({ serial: 2, issuerSerial: 1, key: serverStatic.public }).finish();
  return proto.CertChain.encode({
    intermediate: { details: interDetails, signature: Curve.sign(root.private, interDetails) },
    leaf: { details: leafDetails, signature: Curve.sign(intermediate.private, leafDetails) },
  }).finish();
}

/** One client connection as the test sees it. */
export class FakeConnection {
  payload: proto.ClientPayload | undefined;
  readonly received: BinaryNode[] = [];
  private readonly noise = new NoiseResponder();
  private buffer = Buffer.alloc(0);
  private introSeen = false;
  private readonly ephemeral = Curve.generateKeyPair();
  private readonly static = Curve.generateKeyPair();
  private loginResolve!: () => void;
  readonly loggedIn = new Promise<void>((resolve) => { this.loginResolve = resolve; });

  constructor(readonly ws: WebSocket, private readonly server: FakeWhatsAppServer) {
    ws.on('message', (data: Buffer) => void this.onData(data));
  }

  /** true when the client has no credentials yet (it asks to register, i.e. wants a QR) */
  get isRegistration(): boolean { return Boolean(this.payload?.devicePairingData); }

  async send(node: BinaryNode): Promise<void> {
    const frame = this.noise.encrypt(encodeBinaryNode(node));
    this.sendFrame(frame);
  }

  close(): void { this.ws.close(); }

  private sendFrame(data: Uint8Array): void {
    const header = Buffer.from([(data.length >> 16) & 0xff, (data.length >> 8) & 0xff, data.length & 0xff]);
    this.ws.send(Buffer.concat([header, data]));
  }

  private async onData(data: Buffer): Promise<void> {
    this.buffer = Buffer.concat([this.buffer, data]);
    if (!this.introSeen) {
      if (this.buffer.length < 4) return;
      this.buffer = this.buffer.subarray(4);
      this.introSeen = true;
    }
    while (this.buffer.length >= 3) {
      const size = (this.buffer[0]! << 16) | (this.buffer[1]! << 8) | this.buffer[2]!;
      if (this.buffer.length < size + 3) return;
      const frame = this.buffer.subarray(3, size + 3);
      this.buffer = this.buffer.subarray(size + 3);
      await this.onFrame(frame);
    }
  }

  private async onFrame(frame: Buffer): Promise<void> {
    if (this.payload) {
      const node = await decodeBinaryNode(this.noise.decrypt(frame));
      this.received.push(node);
      await this.server.handleNode(this, node);
      return;
    }
    const hello = proto.HandshakeMessage.decode(frame);
    if (hello.clientHello?.ephemeral) {
      const clientEphemeral = hello.clientHello.ephemeral;
      this.noise.authenticate(clientEphemeral);
      this.noise.authenticate(this.ephemeral.public);
      this.noise.mix(Curve.sharedKey(this.ephemeral.private, clientEphemeral));
      const staticEnc = this.noise.encrypt(this.static.public);
      this.noise.mix(Curve.sharedKey(this.static.private, clientEphemeral));
      const payload = this.noise.encrypt(certChain(this.static));
      this.sendFrame(proto.HandshakeMessage.encode({ serverHello: { ephemeral: this.ephemeral.public, static: staticEnc, payload } }).finish());
      return;
    }
    if (hello.clientFinish?.static && hello.clientFinish.payload) {
      const clientStatic = this.noise.decrypt(hello.clientFinish.static);
      this.noise.mix(Curve.sharedKey(this.ephemeral.private, clientStatic));
      this.payload = proto.ClientPayload.decode(this.noise.decrypt(hello.clientFinish.payload));
      this.noise.finish();
      this.loginResolve();
      await this.server.onLogin(this);
    }
  }
}

/** What WhatsApp does for a linked device: accept the login, then report no pending notifications. */
export async function acceptLogin(conn: FakeConnection): Promise<void> {
  await conn.send(nodes.success());
  await conn.send(nodes.offline());
}

export type LoginBehaviour = (conn: FakeConnection) => Promise<void> | void;

export class FakeWhatsAppServer {
  readonly connections: FakeConnection[] = [];
  /** what to do once a client finished the handshake; tests replace it */
  onLogin: LoginBehaviour = () => undefined;
  /** the error code to put in the server ack of a message the client sends (none: a positive ack) */
  ackError: (message: BinaryNode) => string | undefined = () => undefined;
  /** a test's own answer to an iq query (e.g. an error); undefined: the default answer */
  answerIq: (iq: BinaryNode) => BinaryNode | undefined = () => undefined;
  /** `host:port` of the media upload server given out in media_conn answers */
  mediaHost = '127.0.0.1:9';
  private wss!: WebSocketServer;
  url = '';

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => this.wss.once('listening', () => resolve()));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/ws/chat`;
    this.wss.on('connection', (ws) => { this.connections.push(new FakeConnection(ws, this)); });
  }

  /** Acks every message like the real server, and answers every query so the client's start-up does not wait for time-outs. */
  async handleNode(conn: FakeConnection, node: BinaryNode): Promise<void> {
    if (node.tag === 'message') {
      const error = this.ackError(node);
      await conn.send({ tag: 'ack', attrs: { class: 'message', id: node.attrs.id ?? '', from: node.attrs.to ?? '', t: String(Math.floor(Date.now() / 1000)), ...(error ? { error } : {}) } });
      return;
    }
    if (node.tag !== 'iq' || (node.attrs.type !== 'get' && node.attrs.type !== 'set')) return;
    const own = this.answerIq(node);
    if (own) { await conn.send({ ...own, attrs: { ...own.attrs, id: node.attrs.id ?? '' } }); return; }
    const children = Array.isArray(node.content) ? node.content : [];
    let content: BinaryNode[] = [];
    if (children.some((c) => c.tag === 'count')) content = [{ tag: 'count', attrs: { value: '100' } }];
    if (node.attrs.xmlns === 'w:g2' && node.attrs.to?.endsWith('@g.us')) content = [groupNode(node.attrs.to)];
    if (children.some((c) => c.tag === 'media_conn')) {
      content = [{ tag: 'media_conn', attrs: { auth: 'fake-auth', ttl: '3600' }, content: [{ tag: 'host', attrs: { hostname: this.mediaHost } }] }];
    }
    await conn.send({ tag: 'iq', attrs: { id: node.attrs.id ?? '', type: 'result', from: 's.whatsapp.net' }, content });
  }

  async waitForConnections(n: number, timeoutMs = 5_000): Promise<FakeConnection> {
    const deadline = Date.now() + timeoutMs;
    while (this.connections.length < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} connections, got ${this.connections.length}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return this.connections[n - 1] as FakeConnection;
  }

  async stop(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** Group metadata as WhatsApp answers a w:g2 query: two members. */
const groupNode = (jid: string): BinaryNode => ({
  tag: 'group',
  attrs: { id: jid.split('@')[0] as string, subject: 'Test group', creation: '1700000000', creator: '5511999990000@s.whatsapp.net', addressing_mode: 'pn' },
  content: [
    { tag: 'participant', attrs: { jid: '5511999990000@s.whatsapp.net', type: 'admin' } },
    { tag: 'participant', attrs: { jid: '5511977776666@s.whatsapp.net' } },
  ],
});

/** Nodes the real server sends in the scenarios we test. */
export const nodes = {
  pairDevice: (refs: string[]): BinaryNode => ({
    tag: 'iq', attrs: { id: 'pair-1', type: 'set', from: 's.whatsapp.net', xmlns: 'md' },
    content: [{ tag: 'pair-device', attrs: {}, content: refs.map((ref) => ({ tag: 'ref', attrs: {}, content: Buffer.from(ref) })) }],
  }),
  success: (): BinaryNode => ({ tag: 'success', attrs: { t: String(Math.floor(Date.now() / 1000)) } }),
  /** "all offline notifications delivered": ends the client's initial event buffering */
  offline: (): BinaryNode => ({ tag: 'ib', attrs: { from: 's.whatsapp.net' }, content: [{ tag: 'offline', attrs: { count: '0' } }] }),
  failure: (reason: number): BinaryNode => ({ tag: 'failure', attrs: { reason: String(reason) } }),
  /**
   * A message from WhatsApp as the server relays it, its content in a `plaintext` child (the real
   * server uses `enc`, Signal-encrypted; Baileys decodes `plaintext` the same way after decryption).
   * From the account's own JID with `recipient`, it is a message the owner sent from the phone.
   */
  message: (attrs: { id: string; from: string; recipient?: string; participant?: string; notify?: string; offline?: string }, message: proto.IMessage): BinaryNode => ({
    tag: 'message', attrs: { t: String(Math.floor(Date.now() / 1000)), type: 'text', ...attrs },
    content: [{ tag: 'plaintext', attrs: {}, content: proto.Message.encode(message).finish() }],
  }),
  /** WhatsApp's answer to a query it refuses, e.g. 429 rate-overlimit */
  iqError: (code: number, text: string): BinaryNode => ({
    tag: 'iq', attrs: { type: 'error', from: 's.whatsapp.net' }, content: [{ tag: 'error', attrs: { code: String(code), text } }],
  }),
  streamError: (code: number): BinaryNode => ({ tag: 'stream:error', attrs: { code: String(code) } }),
};
