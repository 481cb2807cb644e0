import { readFileSync } from 'node:fs';
import { sharedPath } from '../../../../test/support/shared';
import { parseQpvCsv } from './qpv';

describe('parseQpvCsv on the MEL 2024 QPV list', () => {
  const qpvs = parseQpvCsv(readFileSync(sharedPath('reference/qpv-mel-2024.csv'), 'utf8'));
  const byCode = (code: string) => qpvs.find((qpv) => qpv.code === code);

  it('reads 26 neighbourhoods with 26 distinct codes over 19 distinct communes', () => {
    expect(qpvs).toHaveLength(26);
    expect(new Set(qpvs.map((qpv) => qpv.code)).size).toBe(26);
    expect(new Set(qpvs.flatMap((qpv) => qpv.communes.map((c) => c.insee))).size).toBe(19);
  });

  it('reads the single-commune neighbourhood QN05991N', () => {
    expect(byCode('QN05991N')).toEqual({ code: 'QN05991N', name: 'Le Parc', communes: [{ insee: '59286', name: 'Haubourdin' }] });
  });

  it('pairs the INSEE codes and names of a multi-commune neighbourhood in order', () => {
    const sud = byCode('QN05972M');
    expect(sud?.communes).toHaveLength(4);
    expect(sud?.communes).toContainEqual({ insee: '59350', name: 'Lille' });
    expect(new Set(qpvs.flatMap((qpv) => qpv.communes).filter((c) => c.insee === '59350').map((c) => c.name))).toEqual(new Set(['Lille']));
  });

  it('keeps every field clean: valid codes, no line-ending residue, accents and apostrophes intact', () => {
    for (const qpv of qpvs) {
      expect(qpv.code).toMatch(/^QN\d{5}[A-Z]$/);
      expect(qpv.name).toMatch(/^\S(.*\S)?$/);
      expect(qpv.communes.length).toBeGreaterThanOrEqual(1);
      for (const commune of qpv.communes) {
        expect(commune.insee).toMatch(/^\d{5}$/);
        expect(commune.name).toMatch(/^\S(.*\S)?$/);
        expect(commune.name).not.toMatch(/[\r\n;,"]/);
      }
    }
    expect(byCode('QN05965M')?.communes).toEqual([{ insee: '59009', name: "Villeneuve-d'Ascq" }]);
  });
});

describe('parseQpvCsv on small inputs', () => {
  const header = 'code_qp,lib_qp,insee_com,lib_com';

  it('reads RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, LF or CRLF, a BOM', () => {
    const csv = `\uFEFF${header}\r\n"QN05901A","Le ""Vieux"", Centre",59001,Ville\nQN05902B,"Deux\nlignes","59002;59003","L'Île;Saint-Éloi"\r\n\r\n`;
    expect(parseQpvCsv(csv)).toEqual([
      { code: 'QN05901A', name: 'Le "Vieux", Centre', communes: [{ insee: '59001', name: 'Ville' }] },
      { code: 'QN05902B', name: 'Deux\nlignes', communes: [{ insee: '59002', name: "L'Île" }, { insee: '59003', name: 'Saint-Éloi' }] },
    ]);
  });

  it('throws, naming the line, when the ";" lists do not pair up', () => {
    expect(() => parseQpvCsv(`${header}\nQN05901A,A,59001,Ville\nQN05902B,B,59002;59003,Une seule ville\n`)).toThrow(
      /line 3: 2 INSEE code\(s\) but 1 commune name\(s\)/,
    );
  });

  it('throws on a bad QPV code, a bad INSEE code, a wrong field count or a duplicate code', () => {
    expect(() => parseQpvCsv(`${header}\nQN5901A,A,59001,Ville\n`)).toThrow(/line 2: expected a QPV code like QN05991N, found "QN5901A"/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,A,5901,Ville\n`)).toThrow(/line 2: expected a 5-digit INSEE code, found "5901"/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,A,59001\n`)).toThrow(/line 2: expected 4 fields, found 3/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,A,59001,V\nQN05901A,B,59002,W\n`)).toThrow(/line 3: the code QN05901A was already given at line 2/);
  });

  it('throws on a wrong header or a malformed quote', () => {
    expect(() => parseQpvCsv('code,lib,insee,commune\n')).toThrow(/line 1: expected the header "code_qp,lib_qp,insee_com,lib_com"/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,"Jamais fermé,59001,V\n`)).toThrow(/line 2: a quoted field is never closed/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,Le "Parc",59001,V\n`)).toThrow(/line 2: a double quote inside an unquoted field/);
    expect(() => parseQpvCsv(`${header}\nQN05901A,"Le" Parc,59001,V\n`)).toThrow(/line 2: expected "," or the end of the line after a closing quote/);
  });
});
