/**
 * Parses the press kit of the MEL "Contrat de ville et des solidarités" 2024 (text extracted from the PDF,
 * read in place from the shared seed folder) into its priorities ("enjeux"): title, ambitions, partners and
 * the "ZOOM SUR L'ACTION" boxes. `ledger seed` loads the MEL contract from it.
 *
 * The extraction interleaves the body text with infographic fragments (ALL-CAPS lines, truncated words,
 * wrapped captions) that repeat it: only the body text is read. A missing landmark throws an Error naming
 * what was expected and where, rather than returning partial data.
 */

export interface PressKitAction {
  title: string;
  text: string;
}

/** An ambition, with the scope and horizon of the line that introduces it ("À l'échelle de la MEL d'ici 2027 :"). */
export interface PressKitAmbition {
  text: string;
  scope: 'metropole' | 'qpv' | null;
  horizon: number | null;
}

export interface PressKitPriority {
  number: number;
  title: string;
  ambitions: PressKitAmbition[];
  partners: string[];
  actions: PressKitAction[];
}

export interface PressKit {
  priorities: PressKitPriority[];
}

/** One line of the source, trimmed (non-breaking spaces included), with its 1-based line number. */
interface Line {
  no: number;
  text: string;
}

/** The lines between one `→ Enjeu N°k` heading and the next heading (`next`), or the end of the file. */
interface Section {
  number: number;
  heading: Line;
  body: Line[];
  next?: Line;
}

const ENJEU = /^→\s*Enjeu\s+N°\s*(\d+)$/;
const AMBITIONS = /^→\s*Ambitions$/;
const PARTNERS = /^→\s*Partenaires$/;
const ACTION = /^ZOOM SUR L['’]ACTION\s*→\s*(\S.*)$/;
const HEADING = /^(→|ZOOM SUR L['’]ACTION\b)/;
const BULLET = /^[-–•]\s+(.*)$/;
/** Words that may come before the infinitive of an ambition: "se doter", "mieux repérer". */
const SCOPE_LINE = /^À l['’]échelle (de la MEL|des quartiers prioritaires)[^:]*?d['’]ici (\d{4})\s*:$/u;

export function parsePressKit(text: string): PressKit {
  const sections = splitSections(toLines(text));
  return { priorities: sections.map(parsePriority) };
}

function toLines(text: string): Line[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\r|\n/)
    .map((raw, index) => ({ no: index + 1, text: raw.trim() }));
}

/** Cuts the file at each `→ Enjeu N°k` heading; the headings must be numbered 1, 2, 3... in order. */
function splitSections(lines: Line[]): Section[] {
  const headings = lines.filter((line) => ENJEU.test(line.text));
  if (headings.length === 0) {
    throw new Error(`press kit: expected a line "→ Enjeu N°1", none found in ${lines.length} lines`);
  }
  return headings.map((heading, index) => {
    const number = Number(ENJEU.exec(heading.text)?.[1]);
    if (number !== index + 1) {
      throw new Error(`press kit: expected "→ Enjeu N°${index + 1}" at line ${heading.no}, found "${heading.text}"`);
    }
    const next: Line | undefined = headings[index + 1];
    const end = next?.no ?? lines.length + 1;
    return { number, heading, next, body: lines.filter((line) => line.no > heading.no && line.no < end) };
  });
}

function parsePriority(section: Section): PressKitPriority {
  const { body, number } = section;
  const ambitionsAt = findLine(body, 0, AMBITIONS, section, '"→ Ambitions"');
  const partnersAt = findLine(body, ambitionsAt + 1, PARTNERS, section, '"→ Partenaires" after "→ Ambitions"');
  return {
    number,
    title: parseTitle(section),
    ambitions: parseAmbitions(body.slice(ambitionsAt + 1, partnersAt), section),
    partners: parsePartners(body.slice(partnersAt + 1), section, body[partnersAt]),
    actions: parseActions(body, section),
  };
}

/** Index in `lines` of the first line from `from` matching `pattern`; throws when the section has none. */
function findLine(lines: Line[], from: number, pattern: RegExp, section: Section, expected: string): number {
  const index = lines.findIndex((line, i) => i >= from && pattern.test(line.text));
  if (index < 0) {
    throw new Error(`press kit: enjeu ${section.number} (line ${section.heading.no}): expected a line ${expected} ${until(section)}`);
  }
  return index;
}

/** Where the section stops, for error messages. */
function until(section: Section): string {
  return section.next ? `before line ${section.next.no} ("${section.next.text}")` : 'before the end of the file';
}

/** The title is the first non-empty line after the heading. */
function parseTitle(section: Section): string {
  const line = section.body.find((candidate) => candidate.text !== '');
  if (!line || HEADING.test(line.text) || isShouting(line.text)) {
    const where = line ? `line ${line.no}, found "${line.text}"` : `the end of the file`;
    throw new Error(`press kit: enjeu ${section.number}: expected its title after line ${section.heading.no}, at ${where}`);
  }
  return plain(line.text);
}

/**
 * Reads the `- ...;` bullets between `→ Ambitions` and `→ Partenaires`, every one of them (the first of
 * enjeu 4 lists fields of action rather than starting with a verb: it is still one of the contract's
 * ambitions). A scope line ("À l'échelle des quartiers prioritaires d'ici 2030 :") gives the scope and
 * horizon of the bullets after it; infographic fragments are skipped; a bullet wrapped over several
 * lines is joined. Any other line throws.
 */
function parseAmbitions(lines: Line[], section: Section): PressKitAmbition[] {
  const bullets: { text: string; scope: PressKitAmbition['scope']; horizon: number | null }[] = [];
  let open = false;
  let scope: PressKitAmbition['scope'] = null;
  let horizon: number | null = null;
  for (const line of lines) {
    const bullet = BULLET.exec(line.text);
    if (line.text === '' || (bullet === null && isShouting(line.text))) {
      open = false;
    } else if (bullet !== null) {
      if (!isShouting(bullet[1])) bullets.push({ text: bullet[1], scope, horizon });
      open = !isShouting(bullet[1]) && !isTerminated(bullet[1]);
    } else if (open && /^\p{Ll}/u.test(line.text)) {
      bullets[bullets.length - 1].text += ` ${line.text}`;
      open = !isTerminated(line.text);
    } else if (line.text.endsWith(':')) {
      const scoped = SCOPE_LINE.exec(plain(line.text));
      if (scoped) {
        scope = /quartiers/i.test(scoped[1]) ? 'qpv' : 'metropole';
        horizon = Number(scoped[2]);
      }
    } else {
      throw new Error(`press kit: enjeu ${section.number}: expected "- ..." ambition bullets, found at line ${line.no} "${line.text}"`);
    }
  }
  const ambitions = bullets.map((b) => ({ ...b, text: cleanBullet(b.text) }));
  if (ambitions.length === 0) {
    throw new Error(`press kit: enjeu ${section.number}: expected at least one "- ..." ambition between "→ Ambitions" and "→ Partenaires"`);
  }
  return ambitions;
}

function isTerminated(text: string): boolean {
  return /[;.]$/.test(text);
}

function cleanBullet(text: string): string {
  return plain(text).replace(/\s*[;.]$/, '');
}

/** The partners are the first non-empty line after `→ Partenaires`, comma-separated. */
function parsePartners(lines: Line[], section: Section, heading: Line): string[] {
  const line = lines.find((candidate) => candidate.text !== '');
  const partners = line && !HEADING.test(line.text) ? splitOutsideParentheses(plain(line.text)) : [];
  if (!line || partners.length < 2) {
    const where = line ? `line ${line.no}, found "${line.text}"` : `the end of the section`;
    throw new Error(`press kit: enjeu ${section.number}: expected a comma-separated partner list after line ${heading.no}, at ${where}`);
  }
  return partners;
}

function splitOutsideParentheses(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    if (char === '(') depth++;
    if (char === ')') depth = Math.max(0, depth - 1);
    current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim().replace(/\.$/, '').trim()).filter((part) => part !== '');
}

/** Every `ZOOM SUR L'ACTION → <title>` box of the section, with the prose paragraphs that follow it. */
function parseActions(lines: Line[], section: Section): PressKitAction[] {
  const actions: PressKitAction[] = [];
  lines.forEach((line, index) => {
    const match = ACTION.exec(line.text);
    if (match === null) return;
    const title = plain(match[1]);
    const paragraphs = readProse(lines.slice(index + 1));
    if (paragraphs.length === 0) {
      throw new Error(`press kit: enjeu ${section.number}: expected the text of the action "${title}" after line ${line.no}`);
    }
    actions.push({ title, text: paragraphs.join('\n\n') });
  });
  return actions;
}

/**
 * The prose paragraphs at the start of `lines`: blank-line-separated blocks of a single line that read
 * as sentences. Stops at the first other block (a heading, an infographic fragment, a wrapped caption).
 */
function readProse(lines: Line[]): string[] {
  const paragraphs: string[] = [];
  for (const block of blocks(lines)) {
    if (block.length !== 1 || !isProse(block[0].text)) break;
    paragraphs.push(plain(block[0].text));
  }
  return paragraphs;
}

function blocks(lines: Line[]): Line[][] {
  const result: Line[][] = [];
  let current: Line[] = [];
  for (const line of lines) {
    if (line.text !== '') {
      current.push(line);
    } else if (current.length > 0) {
      result.push(current);
      current = [];
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

function isProse(text: string): boolean {
  return !HEADING.test(text) && /^[\p{Lu}\d«"]/u.test(text) && /[.!?…»)]$/.test(text) && !isShouting(text);
}

/** An infographic fragment: no lowercase letter, or more uppercase letters than lowercase ones. */
function isShouting(text: string): boolean {
  const lower = (text.match(/\p{Ll}/gu) ?? []).length;
  const upper = (text.match(/\p{Lu}/gu) ?? []).length;
  return lower === 0 || upper > lower;
}

/** Drops the markdown bold markers of the extraction and collapses whitespace. */
function plain(text: string): string {
  return text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
}
