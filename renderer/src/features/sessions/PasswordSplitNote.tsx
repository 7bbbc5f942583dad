// Before a Method D v1.5 login: when the fabric's passwords are split (devices on different
// password versions, or a rotation under way), say so and name the devices, this one first. A
// warning, not a stop; a state that cannot be read is said in one line and passed over.
import type { PasswordRotationView } from '../../../../electron/shared/inventory';
import { inertText } from '../../../../electron/shared/inert-text';
import { call } from '../../api';
import { useAsync } from '../../ui/useAsync';

const AFFECTED = new Set<PasswordRotationView['devices'][number]['state']>(['out-of-sync', 'synchronizing', 'older']);

export function PasswordSplitNote(props: { fabricId: string; deviceId: string }) {
  const { fabricId, deviceId } = props;
  const rotation = useAsync(() => call('core:fabrics.passwordRotation', { fabricId }), [fabricId]);
  if (rotation.error) {
    return <p className="muted small" data-testid="password-split-unknown">The fabric's password rotation state could not be read: the v1.5 password may not match.</p>;
  }
  const v = rotation.value;
  if (!v?.split) return null;
  const mine = v.devices.find((d) => d.id.toLowerCase() === deviceId.toLowerCase());
  const others = v.devices.filter((d) => d !== mine && AFFECTED.has(d.state));
  return (
    <div className="split-warning" role="note" aria-label="Password split" data-testid="password-split">
      <p><strong>Warning:</strong> {inertText(v.summary)}</p>
      {mine && AFFECTED.has(mine.state)
        ? <p data-testid="password-split-device"><strong>This device, {inertText(mine.name)}, {inertText(mine.detail)}</strong>: the password from Key Vault may be refused.</p>
        : mine ? <p data-testid="password-split-device">This device, {inertText(mine.name)}, {inertText(mine.detail)}.</p> : null}
      {others.length ? (
        <ul className="small">
          {others.map((d) => <li key={d.id}>{inertText(d.name)}: {inertText(d.detail)}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
