import { type FormEvent, useEffect, useId, useState } from 'react';
import { defineMessages, formatDate, useMessages } from '../shell/i18n';
import { href, navigate } from '../shell/router';

const messages = defineMessages({
  fr: {
    legend: 'Voir le contrat à une date',
    date: 'Date',
    dateHint: 'Jour de la lecture (état à la fin de cette journée, heure universelle)',
    clock: 'Selon',
    effective: "la date d'effet : ce qui était en vigueur ce jour-là",
    recorded: "la date d'enregistrement : ce que disait le registre ce jour-là",
    show: 'Afficher',
    today: "Revenir à aujourd'hui",
    asOf: (date: string, clock: 'effective' | 'recorded') => `État au ${date}, ${clock === 'effective' ? "selon la date d'effet" : "selon la date d'enregistrement"}.`,
    now: "État d'aujourd'hui.",
  },
  en: {
    legend: 'See the contract as of a date',
    date: 'Date',
    dateHint: 'Day of the reading (state at the end of that day, universal time)',
    clock: 'By',
    effective: 'the effective date: what was in force on that day',
    recorded: 'the recorded date: what the ledger said on that day',
    show: 'Show',
    today: 'Back to today',
    asOf: (date: string, clock: 'effective' | 'recorded') => `State as of ${date}, by the ${clock === 'effective' ? 'effective' : 'recorded'} date.`,
    now: 'State of today.',
  },
});

/** The asOf and clock of a page's query, as the API takes them (asOf left out when absent). */
export function asOfQuery(query: URLSearchParams): { asOf?: string; clock?: 'effective' | 'recorded' } {
  const asOf = query.get('asOf') ?? undefined;
  const clock = query.get('clock') === 'recorded' ? 'recorded' : 'effective';
  return asOf ? { asOf, clock } : {};
}

/**
 * A date and a clock for reading a page as of that day: submitting changes the page's address (so the
 * reading can be shared and the back button works), and the page reloads its answers from it.
 */
export function AsOfControl({ segments, query, legend }: { segments: readonly string[]; query: URLSearchParams; legend?: string }) {
  const m = useMessages(messages);
  const id = useId();
  const current = asOfQuery(query);
  const [date, setDate] = useState(current.asOf ? current.asOf.slice(0, 10) : '');
  const [clock, setClock] = useState<'effective' | 'recorded'>(current.clock ?? 'effective');
  // The address changed by other means (the back button, a link): the fields follow it.
  useEffect(() => {
    setDate(current.asOf ? current.asOf.slice(0, 10) : '');
    setClock(current.clock ?? 'effective');
  }, [current.asOf, current.clock]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(href(segments, /^\d{4}-\d{2}-\d{2}$/.test(date) ? { asOf: `${date}T23:59:59Z`, clock } : {}));
  };
  return (
    <form className="as-of" onSubmit={submit} aria-labelledby={`${id}-legend`}>
      <fieldset>
        <legend id={`${id}-legend`}>{legend ?? m.legend}</legend>
        <div className="as-of-fields">
          <div className="field">
            <label htmlFor={`${id}-date`}>{m.date}</label>
            <p className="hint" id={`${id}-hint`}>
              {m.dateHint}
            </p>
            <input id={`${id}-date`} name="asOf" type="date" min="2024-01-01" value={date} aria-describedby={`${id}-hint`} onChange={(e) => setDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-clock`}>{m.clock}</label>
            <select id={`${id}-clock`} name="clock" value={clock} onChange={(e) => setClock(e.target.value === 'recorded' ? 'recorded' : 'effective')}>
              <option value="effective">{m.effective}</option>
              <option value="recorded">{m.recorded}</option>
            </select>
          </div>
          <div className="as-of-buttons">
            <button type="submit">{m.show}</button>
            {current.asOf && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setDate('');
                  navigate(href(segments));
                }}
              >
                {m.today}
              </button>
            )}
          </div>
        </div>
        <p className="as-of-state" data-testid="as-of-state" aria-live="polite">
          {current.asOf ? m.asOf(formatDate(current.asOf.slice(0, 10)), current.clock ?? 'effective') : m.now}
        </p>
      </fieldset>
    </form>
  );
}
