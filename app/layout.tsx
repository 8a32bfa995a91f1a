import type { Metadata } from "next";
import type { ReactNode } from "react";
import { paletteCss } from "@/lib/palette";
import "./globals.css";

export const metadata: Metadata = {
  title: "Saltzer",
  description: "Least-privilege auditor for AWS Lambda",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <style id="palette" dangerouslySetInnerHTML={{ __html: paletteCss() }} />
      </head>
      <body>{children}</body>
    </html>
  );
}
