// Independent verification of zhijiao's credentials with Digital Bazaar's VC libraries and `jose`.
// Usage: node verify.mjs BUNDLE.json  →  prints a JSON report on stdout.
// BUNDLE: {contextsDir, documents: {url|did: document}, credentials: [{name, di, jws}], statusLists: [url]}
// The document loader is offline: the shipped JSON-LD contexts and the documents in the bundle only.
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import jsonld from 'jsonld';
import rdfCanonize from 'rdf-canonize';
import * as jose from 'jose';

const bundle = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const CONTEXT_FILES = {
  'https://www.w3.org/ns/credentials/v2': 'credentials-v2.jsonld',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json': 'ob-v3p0-context-3.0.3.json',
};
const contexts = Object.fromEntries(Object.entries(CONTEXT_FILES).map(
  ([url, file]) => [url, JSON.parse(readFileSync(join(bundle.contextsDir, file), 'utf8'))]));

function methodOf(url) {
  const [did] = url.split('#');
  const doc = bundle.documents[did];
  if(!doc) return null;
  const vm = (doc.verificationMethod || []).find(m => m.id === url);
  return vm ? {'@context': 'https://w3id.org/security/multikey/v1', ...vm} : null;
}

async function documentLoader(url) {
  if(contexts[url]) return {contextUrl: null, documentUrl: url, document: contexts[url]};
  if(url.includes('#')) {
    const vm = methodOf(url);
    if(vm) return {contextUrl: null, documentUrl: url, document: vm};
  }
  if(bundle.documents[url]) return {contextUrl: null, documentUrl: url, document: bundle.documents[url]};
  throw new Error(`offline loader: ${url} not available`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function message(error) {
  if(!error) return null;
  const errors = error.errors || (Array.isArray(error) ? error : [error]);
  return errors.map(e => e.message || String(e)).join('; ');
}

async function verifyDi(credential) {
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: async () => ({verified: true})});
  return {verified: result.verified, error: message(result.error)};
}

async function canonical(credential) {
  const {proof, ...unsecured} = credential;
  const nquads = await jsonld.toRDF(unsecured, {format: 'application/n-quads', documentLoader, safe: true});
  return rdfCanonize.canonize(nquads, {algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads'});
}

async function jwkOf(kid) {
  const vm = methodOf(kid);
  if(!vm) throw new Error(`no key ${kid}`);
  if(vm.publicKeyJwk) return jose.importJWK(vm.publicKeyJwk, 'RS256');
  // Multikey Ed25519: base58btc('z') of 0xed 0x01 || 32-byte key
  const raw = base58decode(vm.publicKeyMultibase.slice(1)).slice(2);
  return jose.importJWK({kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url')}, 'EdDSA');
}

function base58decode(text) {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let n = 0n;
  for(const c of text) n = n * 58n + BigInt(alphabet.indexOf(c));
  const bytes = [];
  while(n > 0n) { bytes.unshift(Number(n % 256n)); n /= 256n; }
  for(const c of text) { if(c !== '1') break; bytes.unshift(0); }
  return Uint8Array.from(bytes);
}

async function verifyJws(token) {
  try {
    const header = jose.decodeProtectedHeader(token);
    const key = await jwkOf(header.kid);
    const {payload, protectedHeader} = await jose.compactVerify(token, key, {algorithms: ['EdDSA', 'RS256']});
    if(protectedHeader.typ !== 'vc+jwt') throw new Error(`typ ${protectedHeader.typ}`);
    return {verified: true, credential: JSON.parse(new TextDecoder().decode(payload))};
  } catch(e) {
    return {verified: false, error: e.message};
  }
}

async function status(credential) {
  const result = await checkStatus({credential, documentLoader, suite, verifyBitstringStatusListCredential: true});
  return {verified: result.verified, set: result.verified ? result.results.map(r => r.status) : null,
    error: message(result.error)};
}

const out = {credentials: [], statusLists: []};
for(const c of bundle.credentials) {
  const row = {name: c.name};
  const started = performance.now();
  if(c.di) {
    row.di = await verifyDi(c.di);
    try { row.canonical = await canonical(c.di); } catch(e) { row.canonicalError = e.message; }
    row.diStatus = await status(c.di);
  }
  if(c.jws) {
    const {credential, ...checked} = await verifyJws(c.jws);
    row.jws = checked;
    if(credential) row.jwsStatus = await status(credential);
  }
  row.ms = performance.now() - started;
  out.credentials.push(row);
}
for(const url of bundle.statusLists) {
  out.statusLists.push({url, ...(await verifyDi(bundle.documents[url]))});
}
process.stdout.write(JSON.stringify(out));
