/**
 * Parses the 2024 list of the MEL's priority neighbourhoods (quartiers prioritaires de la politique de la
 * ville, QPV), read in place from the shared reference folder: `code_qp,lib_qp,insee_com,lib_com`, one
 * neighbourhood a row, the INSEE codes and names of a neighbourhood spanning several communes joined with
 * `;` in the same order. `ledger seed` loads the MEL contract's territories from it.
 *
 * The CSV is read per RFC 4180 (quoted fields, doubled quotes, CRLF or LF); every row is validated and an
 * Error names the offending line rather than returning partial data.
 */

export interface Qpv {
  code: string;
  name: string;
  communes: { insee: string; name: string }[];
}

/** One CSV record and the 1-based line it starts on. */
interface CsvRecord {
  line: number;
  fields: string[];
}

const HEADER = ['code_qp', 'lib_qp', 'insee_com', 'lib_com'];
const QPV_CODE = /^QN\d{5}[A-Z]$/;
const INSEE_CODE = /^\d{5}$/;

export function parseQpvCsv(text: string): Qpv[] {
  const [header, ...rows] = readCsv(text);
  checkHeader(header);
  const qpvs = rows.map(toQpv);
  checkUniqueCodes(qpvs, rows);
  return qpvs;
}

function checkHeader(header: CsvRecord | undefined): void {
  const found = header?.fields.map((field) => field.trim()).join(',');
  if (found !== HEADER.join(',')) {
    throw new Error(`qpv csv line 1: expected the header "${HEADER.join(',')}", found "${found ?? ''}"`);
  }
}

function toQpv(record: CsvRecord): Qpv {
  const fail = (message: string): never => {
    throw new Error(`qpv csv line ${record.line}: ${message}`);
  };
  if (record.fields.length !== HEADER.length) {
    fail(`expected ${HEADER.length} fields, found ${record.fields.length}`);
  }
  const [code, name, insees, names] = record.fields.map((field) => field.trim());
  if (!QPV_CODE.test(code)) fail(`expected a QPV code like QN05991N, found "${code}"`);
  if (name === '') fail(`the neighbourhood ${code} has no name`);
  return { code, name, communes: toCommunes(split(insees), split(names), fail) };
}

function toCommunes(insees: string[], names: string[], fail: (message: string) => never): Qpv['communes'] {
  if (insees.length !== names.length) {
    fail(`${insees.length} INSEE code(s) but ${names.length} commune name(s): the ";" lists must pair up`);
  }
  return insees.map((insee, index) => {
    if (!INSEE_CODE.test(insee)) fail(`expected a 5-digit INSEE code, found "${insee}"`);
    if (names[index] === '') fail(`the commune ${insee} has no name`);
    return { insee, name: names[index] };
  });
}

function split(list: string): string[] {
  return list.split(';').map((item) => item.trim());
}

function checkUniqueCodes(qpvs: Qpv[], rows: CsvRecord[]): void {
  const seen = new Map<string, number>();
  qpvs.forEach((qpv, index) => {
    const first = seen.get(qpv.code);
    if (first !== undefined) {
      throw new Error(`qpv csv line ${rows[index].line}: the code ${qpv.code} was already given at line ${first}`);
    }
    seen.set(qpv.code, rows[index].line);
  });
}

/** Splits RFC 4180 text into records; blank lines are skipped, a quote out of place throws. */
function readCsv(text: string): CsvRecord[] {
  const scanner = new CsvScanner(text.replace(/^\uFEFF/, ''));
  return scanner.records();
}

class CsvScanner {
  private readonly result: CsvRecord[] = [];
  private fields: string[] = [];
  private field = '';
  private quoted = false; // inside a quoted field
  private closed = false; // the current field was quoted and its closing quote is read
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;

  constructor(private readonly text: string) {}

  records(): CsvRecord[] {
    for (let i = 0; i < this.text.length; i++) {
      i = this.quoted ? this.readQuoted(i) : this.readPlain(i);
    }
    if (this.quoted) throw new Error(`qpv csv line ${this.quoteLine}: a quoted field is never closed`);
    this.endRecord();
    return this.result;
  }

  /** Reads the character at `i` inside quotes; returns the index of the last character consumed. */
  private readQuoted(i: number): number {
    const char = this.text[i];
    if (char !== '"') {
      if (char === '\n') this.line++;
      this.field += char;
      return i;
    }
    if (this.text[i + 1] === '"') {
      this.field += '"';
      return i + 1;
    }
    this.quoted = false;
    this.closed = true;
    return i;
  }

  /** Reads the character at `i` outside quotes; returns the index of the last character consumed. */
  private readPlain(i: number): number {
    const char = this.text[i];
    if (char === ',') {
      this.endField();
    } else if (char === '\r' || char === '\n') {
      this.endRecord();
      this.line++;
      this.recordLine = this.line;
      return char === '\r' && this.text[i + 1] === '\n' ? i + 1 : i;
    } else if (char === '"') {
      this.openQuote();
    } else if (this.closed) {
      throw new Error(`qpv csv line ${this.line}: expected "," or the end of the line after a closing quote, found "${char}"`);
    } else {
      this.field += char;
    }
    return i;
  }

  private openQuote(): void {
    if (this.field !== '' || this.closed) {
      throw new Error(`qpv csv line ${this.line}: a double quote inside an unquoted field (quote the whole field and double the quote)`);
    }
    this.quoted = true;
    this.quoteLine = this.line;
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.closed = false;
  }

  private endRecord(): void {
    const blank = this.fields.length === 0 && this.field === '' && !this.closed;
    this.endField();
    if (!blank) this.result.push({ line: this.recordLine, fields: this.fields });
    this.fields = [];
  }
}
