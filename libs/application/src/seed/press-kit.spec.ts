import { readFileSync } from 'node:fs';
import { sharedPath } from '../../../../test/support/shared';
import { parsePressKit, PressKitPriority } from './press-kit';

/** Two or more ALL-CAPS words in a row: the mark of an infographic fragment ("EN MATIÈRE DE"). */
const SHOUTING = /\p{Lu}{2,}[\s'’-]+\p{Lu}{2,}/u;
/** An infinitive, possibly after "se"/"s'" or "mieux": "lever", "se doter", "mieux repérer". */

describe('parsePressKit on the MEL 2024 press kit', () => {
  const text = readFileSync(sharedPath('seed/contrat-ville-solidarites-mel-2024-dossier-de-presse.txt'), 'utf8');
  const { priorities } = parsePressKit(text);
  const priority = (n: number): PressKitPriority => priorities[n - 1];

  it('finds the six enjeux, numbered 1 to 6, each with a sentence-case title', () => {
    expect(priorities.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(priority(1).title).toBe("Lutter contre les inégalités dès l'enfance, notamment par la réussite éducative et scolaire de tous les jeunes");
    for (const p of priorities) {
      expect(p.title).toMatch(/^\p{Lu}\p{Ll}/u);
      expect(p.title).not.toMatch(/\n|→|\*\*/);
    }
  });

  it.each([
    // enjeu, ambitions, partners, actions
    [1, 7, 12, 2],
    [2, 7, 10, 2],
    [3, 3, 13, 1],
    [4, 6, 5, 1],
    [5, 7, 9, 2],
    [6, 4, 7, 2],
  ])('enjeu %i has %i ambitions, %i partners and %i action boxes', (n, ambitions, partners, actions) => {
    expect(priority(n).ambitions).toHaveLength(ambitions);
    expect(priority(n).partners).toHaveLength(partners);
    expect(priority(n).actions).toHaveLength(actions);
  });

  it('gives every enjeu at least 3 ambitions and 3 partners, and 10 action boxes in all', () => {
    for (const p of priorities) {
      expect(p.ambitions.length).toBeGreaterThanOrEqual(3);
      expect(p.partners.length).toBeGreaterThanOrEqual(3);
    }
    expect(priorities.flatMap((p) => p.actions)).toHaveLength(10);
  });

  it('reads each ambition as one clean verb phrase, without infographic fragments', () => {
    for (const { text: ambition } of priorities.flatMap((p) => p.ambitions)) {
      expect(ambition).toMatch(/^\p{Ll}/u);
      expect(ambition).not.toMatch(/[\r\n]|→|\*\*|^- /);
      expect(ambition).not.toMatch(/[;.:\s]$/);
      expect(ambition).not.toMatch(SHOUTING);
    }
  });

  it('keeps the ambitions of enjeu 5 on both sides of its scope lines, and leaves the scope lines out', () => {
    const ambitions = priority(5).ambitions;
    expect(ambitions[0]).toMatchObject({ text: expect.stringMatching(/^lutter contre la précarité énergétique/), scope: 'metropole', horizon: 2027 });
    expect(ambitions.slice(1).every((a) => a.scope === 'qpv' && a.horizon === 2030)).toBe(true);
    expect(ambitions.some((a) => /^améliorer l'efficacité énergétique/.test(a.text))).toBe(true);
    expect(priorities.flatMap((p) => p.ambitions).some((a) => /échelle/i.test(a.text))).toBe(false);
  });

  it('keeps every bullet of enjeu 4, the list of fields of action first, all in the QPV by 2030', () => {
    expect(priority(4).ambitions[0].text).toMatch(/^gestion urbaine et sociale de proximité/);
    expect(priority(4).ambitions.every((a) => a.scope === 'qpv' && a.horizon === 2030)).toBe(true);
  });

  it('leaves scope and horizon unknown where the press kit gives no scope line (enjeu 1)', () => {
    expect(priority(1).ambitions.every((a) => a.scope === null && a.horizon === null)).toBe(true);
  });

  it('splits the partners on commas, keeping parenthesised names whole and dropping the final period', () => {
    expect(priority(1).partners).toEqual(expect.arrayContaining(['ADULM', 'CAF']));
    expect(priority(2).partners).toContain("Banque Publique d'Investissement (BPI)");
    expect(priority(3).partners[priority(3).partners.length - 1]).toBe('ADULM');
    for (const partner of priorities.flatMap((p) => p.partners)) {
      expect(partner).toMatch(/^\S(.*\S)?$/);
      expect(partner).not.toMatch(/[,.\n]$|^\(|→/);
    }
  });

  it('reads the action boxes with their titles and prose', () => {
    expect(priority(1).actions.map((a) => a.title)).toEqual(['ARELI, programme Émergence', "Fonds d'Innovation Jeunes en Métropole"]);
    expect(priority(5).actions.map((a) => a.title)).toContain('P.A.N.I.E.R.S');
    expect(priority(6).actions.map((a) => a.title)).toContain('Emmaüs Connect');
    for (const action of priorities.flatMap((p) => p.actions)) {
      expect(action.text.length).toBeGreaterThan(200);
      expect(action.text).toMatch(/^\p{Lu}.*[.!?…]$/su);
      expect(action.text).not.toMatch(/ZOOM|→|\*\*/);
      expect(action.text).not.toMatch(SHOUTING);
    }
  });

  it('stops an action text at the infographic that follows it', () => {
    const emergence = priority(1).actions[0].text;
    expect(emergence).toMatch(/^Bourse, accès à un réseau professionnel/);
    expect(emergence).toMatch(/actions citoyennes\.$/);
    expect(priority(1).actions[1].text).not.toMatch(/LUTTER|corollaire/);
  });
});

describe('parsePressKit on small inputs', () => {
  const enjeu = (n: number, body: string): string => `→ Enjeu N°${n}\n\nTitre de l'enjeu ${n}\n\nUn paragraphe.\n\n${body}`;
  const ambitions = '→ Ambitions\n\n- lever les freins ;\n- soutenir la parentalité.\n';
  const partners = '→ Partenaires\n\nÉtat, MEL, Banque Publique d\'Investissement (BPI, Lille), CAF.\n';

  it('reads a minimal enjeu, skipping scope lines, fragments and non-verb bullets, joining a wrapped bullet', () => {
    const kit = parsePressKit(
      enjeu(
        1,
        '→ Ambitions\n\nÀ l\'échelle de la MEL d\'ici 2030 :\n\n- santé, emploi, habitat ;\n- lever les freins\nà la mobilité ;\n\nLEVER LES FREINS\n\n- se doter d\'un outil.\n\n' +
          partners +
          '\nZOOM SUR L\'ACTION → Une action\n\nPremier paragraphe de l\'action.\n\nSecond paragraphe.\n\nSOUTENIR LA PARENTALITÉ\n\nUne phrase après le bruit.\n',
      ),
    );
    expect(kit.priorities).toEqual([
      {
        number: 1,
        title: "Titre de l'enjeu 1",
        ambitions: [
          { text: 'santé, emploi, habitat', scope: 'metropole', horizon: 2030 },
          { text: 'lever les freins à la mobilité', scope: 'metropole', horizon: 2030 },
          { text: "se doter d'un outil", scope: 'metropole', horizon: 2030 },
        ],
        partners: ['État', 'MEL', "Banque Publique d'Investissement (BPI, Lille)", 'CAF'],
        actions: [{ title: 'Une action', text: "Premier paragraphe de l'action.\n\nSecond paragraphe." }],
      },
    ]);
  });

  it('throws when there is no enjeu at all', () => {
    expect(() => parsePressKit('Dossier de presse\n\nSommaire\n')).toThrow(/expected a line "→ Enjeu N°1", none found in 4 lines/);
  });

  it('throws when the enjeux are not numbered in order', () => {
    expect(() => parsePressKit(enjeu(1, ambitions + partners) + enjeu(3, ambitions + partners))).toThrow(/expected "→ Enjeu N°2" at line 14, found "→ Enjeu N°3"/);
  });

  it('throws, naming the enjeu and its line, when "→ Ambitions" is missing', () => {
    expect(() => parsePressKit(enjeu(1, ambitions + partners) + enjeu(2, partners))).toThrow(
      /enjeu 2 \(line 14\): expected a line "→ Ambitions" before the end of the file/,
    );
    expect(() => parsePressKit(enjeu(1, partners) + enjeu(2, ambitions + partners))).toThrow(
      /enjeu 1 \(line 1\): expected a line "→ Ambitions" before line 10 \("→ Enjeu N°2"\)/,
    );
  });

  it('throws when "→ Partenaires" is missing or not followed by a list', () => {
    expect(() => parsePressKit(enjeu(1, ambitions))).toThrow(/enjeu 1 \(line 1\): expected a line "→ Partenaires" after "→ Ambitions" before the end of the file/);
    expect(() => parsePressKit(enjeu(1, `${ambitions}→ Partenaires\n\n`))).toThrow(/enjeu 1: expected a comma-separated partner list after line 11/);
  });

  it('throws when the ambitions list has no bullet or holds an unexpected line', () => {
    expect(() => parsePressKit(enjeu(1, `→ Ambitions\n\n${partners}`))).toThrow(/enjeu 1: expected at least one "- \.\.\." ambition/);
    expect(() => parsePressKit(enjeu(1, `→ Ambitions\n\nUne phrase égarée.\n\n${partners}`))).toThrow(/found at line 9 "Une phrase égarée\."/);
  });

  it('throws when an action box has no prose after it', () => {
    expect(() => parsePressKit(enjeu(1, `${ambitions}${partners}\nZOOM SUR L'ACTION → Vide\n\nBRUIT EN CAPITALES\n`))).toThrow(
      /expected the text of the action "Vide" after line 15/,
    );
  });
});
