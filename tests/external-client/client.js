// External client for the Prism proxy, built from the upstream-compatible protos with
// @grpc/proto-loader (no generated code from this repository). It sets a key, reads it back,
// subscribes to a topic, publishes to it and waits for the message, then prints one JSON line.
//
// Usage: node client.js <host:port> <namespace> <token> [topic]
'use strict';

const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [address, namespace, token, topic = 'external-topic'] = process.argv.slice(2);
if (!address || !namespace || !token) {
  console.error('usage: node client.js <host:port> <namespace> <token> [topic]');
  process.exit(2);
}

const protoRoot = path.resolve(__dirname, '../../proto');
const definition = protoLoader.loadSync(
  ['prism/interfaces/keyvalue/keyvalue_basic.proto', 'prism/interfaces/pubsub/pubsub_basic.proto'],
  { includeDirs: [protoRoot], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const prism = grpc.loadPackageDefinition(definition).prism.interfaces;

const credentials = grpc.credentials.createInsecure();
const keyValue = new prism.keyvalue.KeyValueBasicInterface(address, credentials);
const pubSub = new prism.pubsub.PubSubBasicInterface(address, credentials);

function metadata() {
  const md = new grpc.Metadata();
  md.set('authorization', `Bearer ${token}`);
  md.set('x-prism-namespace', namespace);
  return md;
}

function deadline() {
  return { deadline: Date.now() + 10000 };
}

function unary(client, method, request) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata(), deadline(), (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function subscribeAndReceive(payload) {
  return new Promise((resolve, reject) => {
    const call = pubSub.Subscribe({ topic, subscriber_id: 'external-client', options: {} }, metadata());
    const timer = setTimeout(() => { call.cancel(); reject(new Error('no message within 10 s')); }, 10000);
    // The proxy sends response headers once the subscription is live: publish then.
    call.on('metadata', () => {
      unary(pubSub, 'Publish', { topic, payload: Buffer.from(payload), metadata: { from: 'node' } }).catch(reject);
    });
    call.on('data', (message) => {
      clearTimeout(timer);
      call.cancel();
      resolve(message);
    });
    call.on('error', (error) => {
      if (error.code !== grpc.status.CANCELLED) {
        clearTimeout(timer);
        reject(error);
      }
    });
  });
}

async function main() {
  const value = `hello from node ${process.version}`;
  const set = await unary(keyValue, 'Set', { key: 'external-key', value: Buffer.from(value) });
  const get = await unary(keyValue, 'Get', { key: 'external-key' });
  const missing = await unary(keyValue, 'Get', { key: 'no-such-key' });
  const message = await subscribeAndReceive('published by node');
  console.log(JSON.stringify({
    set: { success: set.success, error: set.error },
    get: { found: get.found, value: get.value.toString('utf8'), error: get.error },
    missing: { found: missing.found },
    message: {
      topic: message.topic,
      payload: message.payload.toString('utf8'),
      metadata: message.metadata,
      message_id: message.message_id,
      timestamp: message.timestamp,
    },
  }));
}

main().then(() => process.exit(0), (error) => {
  console.error(JSON.stringify({ error: error.message, code: error.code ?? null }));
  process.exit(1);
});
