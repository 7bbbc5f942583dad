// A new security-key PIN, typed twice; it is submitted only when both match and it is long enough.
import { useState, type ReactNode } from 'react';

export function NewPinForm(props: { submitLabel: string; busy?: boolean; onSubmit: (pin: string) => void; children?: ReactNode; actions?: ReactNode }) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const ready = pin.length >= 4 && pin === again;
  return (
    <form onSubmit={(e) => { e.preventDefault(); if (ready && !props.busy) props.onSubmit(pin); }}>
      {props.children}
      <label>New PIN <input type="password" autoComplete="new-password" minLength={4} maxLength={63} value={pin} onChange={(e) => setPin(e.target.value)} aria-label="New PIN" data-autofocus /></label>
      <label>Repeat PIN <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} aria-label="Repeat PIN" /></label>
      {again.length > 0 && pin !== again ? <p className="error">The PINs differ.</p> : null}
      <div className="actions">{props.actions}<button type="submit" className="primary" disabled={props.busy || !ready}>{props.submitLabel}</button></div>
    </form>
  );
}
