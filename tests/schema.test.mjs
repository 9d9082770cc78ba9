// docs/catalogue.schema.json agrees with the parser on the files the project
// ships and generates: what the widget reads in full passes the schema, and
// the entries it skips are ones the schema can see are wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (path) => JSON.parse(readFileSync(`${root}/${path}`, 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(read('docs/catalogue.schema.json'));

test('the Dongting example passes the schema', () => {
  assert.ok(validate(read('examples/dongting/catalogue.json')), JSON.stringify(validate.errors?.slice(0, 3)));
});

test('a generated catalogue passes the schema', () => {
  const generated = execFileSync(`${root}/target/native/xxgk-catgen`, ['--items', '500', '--seed', '7'], { maxBuffer: 1 << 26 });
  assert.ok(validate(JSON.parse(generated)), JSON.stringify(validate.errors?.slice(0, 3)));
});

test('the schema refuses what it can see is wrong', () => {
  const bad = read('tests/e2e/site/fixtures/bad.json');
  assert.equal(validate(bad), false);
  const paths = new Set(validate.errors.map((e) => e.instancePath));
  // Entry 2 has no title, entry 8 a javascript: link, entry 9 an array title
  // (positions from 1; the schema counts from 0).
  for (const path of ['/items/1', '/items/7/link', '/items/8/title']) assert.ok(paths.has(path), `${path} in ${[...paths]}`);
  const xss = read('tests/e2e/site/fixtures/xss.json');
  assert.equal(validate(xss), false);
});
