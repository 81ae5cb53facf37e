import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type InterfaceList, unusableAddresses } from './local-addresses.ts';

const host: InterfaceList = () => ({
  lo: [
    { address: '127.0.0.1', family: 'IPv4' },
    { address: '::1', family: 'IPv6' },
  ],
  eth0: [
    { address: '192.0.2.2', family: 'IPv4' },
    { address: 'fd00::2', family: 'IPv6' },
    { address: 'fe80::fc:ff:fe00:1', family: 'IPv6' },
  ],
});

test('loopback, unspecified and interface addresses are usable; others are not', () => {
  const asked = ['127.0.11.1', '::1', '0.0.0.0', '::', '192.0.2.2', 'fd00::2', 'fe80::fc:ff:fe00:1%eth0'];
  assert.deepEqual([...unusableAddresses(asked, host)], []);
  assert.deepEqual(
    [...unusableAddresses(['192.0.2.1', '2001:db8::1', '10.0.0.1', '127.0.11.1'], host)],
    ['192.0.2.1', '2001:db8::1', '10.0.0.1'],
    'a neighbour on the same subnet (192.0.2.1) is not this host',
  );
});

test('addresses are compared as addresses, not text', () => {
  assert.deepEqual([...unusableAddresses(['0:0:0:0:0:0:0:1', 'FD00:0::2'], host)], []);
});

test('values that are not IP addresses are left to the translator', () => {
  assert.deepEqual([...unusableAddresses(['gateway.example.com', '300.1.2.3', ''], host)], []);
});

test('interfaces are read only when an address is neither loopback nor unspecified', () => {
  let reads = 0;
  const counting: InterfaceList = () => {
    reads++;
    return host();
  };
  unusableAddresses(['127.0.0.1', '::1', '0.0.0.0'], counting);
  assert.equal(reads, 0);
  unusableAddresses(['192.0.2.2', '192.0.2.1'], counting);
  assert.equal(reads, 1, 'once per call');
});
