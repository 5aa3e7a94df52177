// The reply listener's connections (attack round 32): its twenty were shared by every sender, so one
// address opening twenty and keeping them (a NOOP before each idle timeout, or reconnecting) turned
// every other mail server away with "421 Too many connected clients". Now one address holds at most
// LIMITS.inboundMail.smtpClientsPerAddress at once, told so with a 421 (a mail server retries it),
// and another address is still greeted.
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type InboundSmtp, startInboundSmtp } from '../../../src/app/notifications/inbound-smtp.ts';
import { LIMITS } from '../../../src/domain/limits.ts';
import { databases } from '../../support/databases.ts';
import { openTestHub, type TestHub } from '../../support/hub.ts';

/** A connection to the listener from `localAddress`, and the first line it was answered with. */
async function connect(port: number, localAddress: string): Promise<{ socket: net.Socket; first: string }> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  socket.on('error', () => {});
  const first = await new Promise<string>((resolve) => {
    let got = '';
    socket.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) resolve(got.split('\r\n')[0]!);
    });
    socket.on('close', () => resolve(got));
  });
  return { socket, first };
}

describe.each(databases)('the reply listener’s connections on $name', (database) => {
  let hub: TestHub;
  let inbound: InboundSmtp;
  const sockets: net.Socket[] = [];
  beforeEach(async () => {
    hub = await openTestHub(database);
    inbound = await startInboundSmtp(hub, {
      host: '127.0.0.1',
      port: 0,
      replyDomain: 'reply.example.org',
      senderCheck: { mode: 'off', trustedAuthservIds: [] },
    });
  });
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    sockets.length = 0;
    await inbound?.close();
    await hub?.close();
  });

  it('one address holding every connection it may is told so, and another address is still greeted', async () => {
    const most = LIMITS.inboundMail.smtpClientsPerAddress;
    const answers: string[] = [];
    // the attacker: as many connections as the listener holds for everyone (twenty), opened one after another
    for (let i = 0; i < 20; i++) {
      const c = await connect(inbound.port, '127.0.0.1');
      sockets.push(c.socket);
      answers.push(c.first);
    }
    expect(answers.slice(0, most).every((a) => a.startsWith('220 '))).toBe(true);
    for (const a of answers.slice(most))
      expect(a).toBe(
        `421 4.7.0 ${most} connections from 127.0.0.1 are open, and one address may hold ${most} at once; try again in a moment`,
      );
    // another mail server, while the attacker's connections stay open: greeted, not "Too many connected clients"
    const other = await connect(inbound.port, '127.0.0.2');
    sockets.push(other.socket);
    expect(other.first).toMatch(/^220 /);
    // one of the attacker's closing frees its place for that address again
    sockets[0]!.destroy();
    let again = '';
    for (let tries = 0; tries < 50 && !again.startsWith('220 '); tries++) {
      const c = await connect(inbound.port, '127.0.0.1');
      sockets.push(c.socket);
      again = c.first;
    }
    expect(again).toMatch(/^220 /);
    // the twenty the attacker opened are what the listener holds for everyone
    expect(LIMITS.inboundMail.smtpClients).toBe(20);
  });
});
