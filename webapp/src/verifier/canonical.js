// FHIR Anchor canonical JSON v1 (docs/verification.md section 1): a strict RFC 8259 parser that keeps
// number lexemes, and the canonical serializer (RFC 8785 ordering and string escapes, numbers as written).

/** A JSON number kept exactly as written (its lexeme). */
export class JsonNumber {
  /** @param {string} lexeme */
  constructor(lexeme) {
    this.lexeme = lexeme;
  }
}

/** Thrown for any input that canonical JSON v1 rejects. */
export class JsonFormatError extends Error {}

/**
 * @typedef {null | boolean | string | JsonNumber | JsonValue[] | {[name: string]: JsonValue}} JsonValue
 */

const MAX_DEPTH = 512;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

/**
 * Parses one JSON text from UTF-8 bytes, rejecting everything section 1.2 rejects.
 * @param {Uint8Array} bytes
 * @returns {JsonValue}
 */
export function parseJson(bytes) {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new JsonFormatError('a byte order mark is not allowed');
  }
  let text;
  try {
    text = UTF8.decode(bytes);
  } catch {
    throw new JsonFormatError('invalid UTF-8');
  }
  return parseText(text);
}

/**
 * Parses a JSON text already decoded to a string (no lone surrogates may remain).
 * @param {string} text
 * @returns {JsonValue}
 */
export function parseText(text) {
  const parser = new Parser(text);
  parser.ws();
  const value = parser.value(0);
  parser.ws();
  if (parser.pos !== text.length) {
    parser.fail('unexpected content after the value');
  }
  return value;
}

class Parser {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
    this.pos = 0;
  }

  /** @param {string} message @returns {never} */
  fail(message) {
    throw new JsonFormatError(`${message} at offset ${this.pos}`);
  }

  ws() {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }

  /** @param {number} depth @returns {JsonValue} */
  value(depth) {
    const t = this.text;
    const c = t[this.pos];
    if (c === '{') return this.object(depth + 1);
    if (c === '[') return this.array(depth + 1);
    if (c === '"') return this.string();
    if (t.startsWith('true', this.pos)) { this.pos += 4; return true; }
    if (t.startsWith('false', this.pos)) { this.pos += 5; return false; }
    if (t.startsWith('null', this.pos)) { this.pos += 4; return null; }
    const m = NUMBER.exec(t.slice(this.pos, this.pos + 1024));
    if (m && m[0].length > 0) {
      const after = t[this.pos + m[0].length];
      // A number must not run on into more number characters ("01", "1.", "1e").
      if (after !== undefined && /[0-9.eE+-]/.test(after)) this.fail('invalid number');
      if (m[0].length === 1024) this.fail('number too long');
      this.pos += m[0].length;
      return new JsonNumber(m[0]);
    }
    if (this.pos >= t.length) this.fail('unexpected end of input');
    return this.fail('unexpected character');
  }

  /** @param {number} depth */
  object(depth) {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.pos++;
    /** @type {{[name: string]: JsonValue}} */
    const result = Object.create(null);
    const seen = new Set();
    this.ws();
    if (this.text[this.pos] === '}') { this.pos++; return result; }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail('expected a member name');
      const name = this.string();
      if (seen.has(name)) this.fail(`duplicate member "${name}"`);
      seen.add(name);
      this.ws();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      this.ws();
      result[name] = this.value(depth);
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === '}') { this.pos++; return result; }
      this.fail("expected ',' or '}'");
    }
  }

  /** @param {number} depth */
  array(depth) {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH}`);
    this.pos++;
    /** @type {JsonValue[]} */
    const result = [];
    this.ws();
    if (this.text[this.pos] === ']') { this.pos++; return result; }
    for (;;) {
      this.ws();
      result.push(this.value(depth));
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') { this.pos++; continue; }
      if (c === ']') { this.pos++; return result; }
      this.fail("expected ',' or ']'");
    }
  }

  string() {
    const t = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= t.length) this.fail('unterminated string');
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        out += t.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) this.fail('raw control character in a string');
      if (c !== 0x5c) { this.pos++; continue; }
      out += t.slice(start, this.pos);
      const e = t[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const unit = this.hex4();
          if (unit >= 0xd800 && unit <= 0xdbff) {
            if (t[this.pos] !== '\\' || t[this.pos + 1] !== 'u') this.fail('unpaired surrogate escape');
            this.pos += 2;
            const low = this.hex4();
            if (low < 0xdc00 || low > 0xdfff) this.fail('unpaired surrogate escape');
            out += String.fromCharCode(unit, low);
          } else if (unit >= 0xdc00 && unit <= 0xdfff) {
            this.fail('unpaired surrogate escape');
          } else {
            out += String.fromCharCode(unit);
          }
          break;
        }
        default:
          this.pos -= 2;
          this.fail('invalid escape');
      }
      start = this.pos;
    }
  }

  hex4() {
    const digits = this.text.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) this.fail('invalid \\u escape');
    this.pos += 4;
    return parseInt(digits, 16);
  }
}

/** @param {string} s */
function quote(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += s[i];
  }
  return out + '"';
}

/**
 * The canonical text of a parsed value (section 1.3).
 * @param {JsonValue} value
 * @returns {string}
 */
export function canonicalText(value) {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return quote(value);
  if (value instanceof JsonNumber) return value.lexeme;
  if (Array.isArray(value)) return '[' + value.map(canonicalText).join(',') + ']';
  // JavaScript's default string order compares UTF-16 code units, as RFC 8785 section 3.2.3 asks.
  const names = Object.keys(value).sort();
  return '{' + names.map((name) => quote(name) + ':' + canonicalText(value[name])).join(',') + '}';
}

/**
 * Canonical UTF-8 bytes of a JSON text given as bytes.
 * @param {Uint8Array} bytes
 */
export function canonicalize(bytes) {
  return ENCODER.encode(canonicalText(parseJson(bytes)));
}

/** @param {string} text */
export function utf8(text) {
  return ENCODER.encode(text);
}
