// Queue client for the Prism proxy, built at run time from proto/prism/interfaces/queue/queue.proto
// with @grpc/proto-loader (no generated code from this repository).
//
// Usage:
//   node queue.js group <host:port> <namespace> <token> <queue> <count>
//     Publishes <count> messages (the first one twice with the same idempotency key), then two members
//     of group "node-workers" consume and ack them; prints one JSON line with what each member received.
//   node queue.js hold <host:port> <namespace> <token> <queue> <group> <max_in_flight> <visibility_ms>
//     Joins <group> and never settles: prints {"joined": …} and then {"held": …} per message, one JSON
//     line each, until the process is killed (a consumer process that dies holding messages).
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [mode, address, namespace, token, queue, ...rest] = process.argv.slice(2);
if (!['group', 'hold'].includes(mode) || !address || !namespace || !token || !queue) {
  console.error('usage: node queue.js group <host:port> <namespace> <token> <queue> <count>\n'
    + '       node queue.js hold <host:port> <namespace> <token> <queue> <group> <max_in_flight> <visibility_ms>');
  process.exit(2);
}

const protoRoot = path.resolve(__dirname, '../../proto');
const definition = protoLoader.loadSync(['prism/interfaces/queue/queue.proto'],
  { includeDirs: [protoRoot], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const queues = new (grpc.loadPackageDefinition(definition).prism.interfaces.queue.QueueBasicInterface)(
  address, grpc.credentials.createInsecure());

function metadata() {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  md.set('x-prism-namespace', namespace);
  return md;
}

function publish(payload, idempotencyKey = '') {
  return new Promise((resolve, reject) => {
    queues.Publish({ queue, payload: Buffer.from(payload), metadata: { from: 'node' }, idempotency_key: idempotencyKey },
      metadata(), { deadline: Date.now() + 10000 }, (error, response) => (error ? reject(error) : resolve(response.message_id)));
  });
}

// One member: joins, hands each message to onMessage(message, settle) where settle('ack' | 'nack') sends it.
function join(group, options, onMessage) {
  const call = queues.Consume(metadata());
  const member = { call, joined: null, received: [] };
  member.ready = new Promise((resolve, reject) => {
    call.on('data', (response) => {
      if (response.event === 'joined') {
        member.joined = response.joined;
        resolve(member);
      } else if (response.event === 'message') {
        const message = response.message;
        member.received.push(message);
        onMessage(message, (action) => call.write(action === 'ack'
          ? { ack: { message_id: message.message_id } }
          : { nack: { message_id: message.message_id, delay_ms: 0, error: 'rejected by node' } }));
      }
    });
    call.on('error', (error) => {
      if (error.code !== grpc.status.CANCELLED) {
        reject(error);
      }
    });
  });
  call.write({ join: { queue, group, consumer_id: '', ...options } });
  return member;
}

async function group(count) {
  const published = [];
  const first = await publish('node-0', 'node-key-0');
  const duplicate = await publish('node-0 again', 'node-key-0');
  published.push(first);
  for (let i = 1; i < count; i++) {
    published.push(await publish(`node-${i}`));
  }

  let settled = 0;
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const work = (message, settle) => {
    // A little work per message, so that both members take some.
    setTimeout(() => {
      settle('ack');
      settled += 1;
      if (settled === count) {
        finish();
      }
    }, 20);
  };
  const members = [join('node-workers', { max_in_flight: 2 }, work), join('node-workers', { max_in_flight: 2 }, work)];
  await Promise.all(members.map((m) => m.ready));
  const timer = setTimeout(() => finish(), 15000);
  await done;
  clearTimeout(timer);
  // Give the last acks time to reach the proxy before the streams end.
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  for (const member of members) {
    member.call.end();
  }

  return {
    published,
    duplicate,
    members: members.map((m) => ({
      consumer_id: m.joined.consumer_id,
      max_in_flight: m.joined.max_in_flight,
      received: m.received.map((message) => ({
        message_id: message.message_id,
        payload: message.payload.toString('utf8'),
        attempt: message.attempt,
        from: message.metadata.from,
        publisher: message.metadata['prism-publisher'],
      })),
    })),
  };
}

function hold(groupName, maxInFlight, visibilityMs) {
  const member = join(groupName, { max_in_flight: maxInFlight, visibility_timeout_ms: visibilityMs }, (message) => {
    console.log(JSON.stringify({ held: message.message_id, payload: message.payload.toString('utf8'), attempt: message.attempt }));
  });
  member.ready.then((m) => console.log(JSON.stringify({ joined: m.joined })), (error) => {
    console.error(JSON.stringify({ error: error.message, code: error.code ?? null }));
    process.exit(1);
  });
  member.call.on('end', () => process.exit(1));
}

if (mode === 'hold') {
  hold(rest[0], Number(rest[1]), Number(rest[2]));
} else {
  group(Number(rest[0])).then((result) => {
    console.log(JSON.stringify(result));
    process.exit(0);
  }, (error) => {
    console.error(JSON.stringify({ error: error.message, code: error.code ?? null }));
    process.exit(1);
  });
}
