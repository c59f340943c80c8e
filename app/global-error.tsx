"use client";

export default function GlobalError({ reset }: { error: Error; reset: () => void }) {
  return (
    <html lang="en-GB">
      <body style={{ fontFamily: "system-ui", padding: 32 }}>
        <h1>Something went wrong</h1>
        <p>The page could not be shown. Try again; if it keeps happening, check the server logs.</p>
        <button onClick={reset}>Try again</button>
      </body>
    </html>
  );
}
