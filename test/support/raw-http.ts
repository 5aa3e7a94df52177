// A request written to a real socket byte for byte, for what fetch cannot send (a header twice, an
// absolute-form target): the whole answer once the server closes (the request should say
// `Connection: close`).
import { connect } from 'node:net';

export function rawRequest(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('data', (d) => {
      received += d.toString('utf8');
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
}
