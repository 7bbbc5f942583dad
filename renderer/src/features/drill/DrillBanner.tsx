export function DrillBanner() {
  return (
    <div className="drill-banner" role="note" data-testid="drill-banner">
      DRILL MODE — simulated fabric and security key. Nothing here touches production devices.
    </div>
  );
}
