import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from 'react';
import type { ApiProblem } from '../shell/api';

/**
 * A labelled form field with the API's messages about it shown beside it: the input is marked
 * aria-invalid and described by them (RGAA 11.10), so a screen reader reads the rule with the field.
 * `name` is the field's path in the API's body (`period`, `attendance[0].personId`).
 */
interface FieldProps {
  label: string;
  name: string;
  problem?: ApiProblem;
  hint?: string;
  children: (props: { id: string; name: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode;
}

export function Field({ label, name, problem, hint, children }: FieldProps) {
  const id = useId();
  const errors = problem?.forField(name) ?? [];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={errors.length > 0 ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, name, ...(errors.length > 0 && { 'aria-invalid': true }), ...(describedBy && { 'aria-describedby': describedBy }) })}
      {errors.length > 0 && (
        <ul className="field-errors" id={errorId} data-field={name}>
          {errors.map((e, i) => (
            <li key={i}>
              {e.detail} <span className="rule">({e.rule})</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function TextField({ label, name, problem, hint, ...input }: Omit<FieldProps, 'children'> & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Field label={label} name={name} problem={problem} hint={hint}>
      {(props) => <input {...input} {...props} />}
    </Field>
  );
}

export function TextArea({ label, name, problem, hint, ...input }: Omit<FieldProps, 'children'> & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Field label={label} name={name} problem={problem} hint={hint}>
      {(props) => <textarea rows={4} {...input} {...props} />}
    </Field>
  );
}

export function Select({ label, name, problem, hint, children, ...input }: Omit<FieldProps, 'children'> & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  return (
    <Field label={label} name={name} problem={problem} hint={hint}>
      {(props) => (
        <select {...input} {...props}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** The refusal of a whole form (a rule with no field, such as a closed commitment), above its button. */
export function FormProblem({ problem, fields }: { problem?: ApiProblem; fields: readonly string[] }) {
  if (!problem) return null;
  const shownBesideAField = problem.errors.length > 0 ? problem.errors.every((e) => fields.some((f) => e.field === f || e.field.startsWith(`${f}.`) || e.field.startsWith(`${f}[`))) : problem.field !== undefined && fields.includes(problem.field);
  return (
    <div role="alert" className="problem form-problem">
      <p>
        <strong>{problem.title}</strong>
        {!shownBesideAField && problem.detail && <> — {problem.detail}</>}
      </p>
      {problem.rule && <p className="rule">{problem.rule}</p>}
    </div>
  );
}
