// axe-core (the copy Ace by DAISY ships) on a web edition, in headless Chromium, as a desktop
// reader, a phone (320 CSS px) and a reader zoomed to 200% see it.
// Usage: node axe.js PAGE.html; prints one JSON object:
// {views: [{name, violations, overflow, skip: {text, href, shown, target}}]}.
"use strict";
const path = require("path");
const puppeteer = require("puppeteer-core");

const AXE = require.resolve("@daisy/axe-core-for-ace/axe.min.js");
const VIEWS = [
  { name: "desktop", width: 1280, height: 900, deviceScaleFactor: 1 },
  { name: "phone", width: 320, height: 640, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  // 200% zoom of a 1280 px window: the page lays out in 640 CSS px at twice the pixels.
  { name: "zoom-200", width: 640, height: 450, deviceScaleFactor: 2 },
];

async function main() {
  const page_file = path.resolve(process.argv[2]);
  const browser = await puppeteer.launch({
    executablePath: process.env.PUPPETEER_EXECUTABLE_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const views = [];
  try {
    for (const view of VIEWS) {
      const page = await browser.newPage();
      await page.setBypassCSP(true);  // the page forbids scripts; axe is ours, not its
      await page.setViewport(view);
      await page.goto("file://" + page_file, { waitUntil: "load" });
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate(async () => {
        const found = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                           "wcag22aa", "best-practice"] },
        });
        const root = document.scrollingElement;
        return {
          violations: found.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
          })),
          // Reflow (WCAG 1.4.10): nothing wider than the window, so no sideways scrolling.
          overflow: root.scrollWidth - root.clientWidth,
        };
      });
      // The first Tab reaches a skip link, shown while it has the focus.
      await page.keyboard.press("Tab");
      result.skip = await page.evaluate(() => {
        const link = document.activeElement;
        const box = link.getBoundingClientRect();
        return { text: link.textContent, href: link.getAttribute("href"),
                 shown: box.top >= 0 && box.bottom <= window.innerHeight && box.width > 0,
                 target: !!document.querySelector(link.getAttribute("href") || "none") };
      });
      views.push({ name: view.name, ...result });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ views }) + "\n");
}

main().catch(err => { process.stderr.write(String(err) + "\n"); process.exit(1); });
