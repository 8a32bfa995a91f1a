export function NoScan() {
  return (
    <div className="panel empty">
      <h2>No scan yet</h2>
      <p>
        Scan a snapshot with <code>npx saltzer scan --snapshot samples/acme</code>, then reload.
      </p>
    </div>
  );
}
