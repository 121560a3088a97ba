// The console in headless Chromium against a running `pstral serve` (run.sh starts it with a fake Ollama).
// Each check prints "ok" or "FAIL"; the first failure stops the run (later checks build on earlier ones) and
// exits non-zero. Screenshots of each page go to $SCREENSHOTS.
import { mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const BASE = process.env.PSTRAL_URL ?? "http://127.0.0.1:8080";
const ADMIN_PASSWORD = process.env.PSTRAL_ADMIN_PASSWORD ?? "";
const SCREENSHOTS = process.env.SCREENSHOTS ?? "screenshots";
const PROFILE_DIR = process.env.PROFILE_DIR ?? `/tmp/pstral-chromium-${process.pid}`;
const STEWARD = { username: "intendant", password: "intendant-mot-de-passe" };
const ANALYST = { username: "analyste", password: "analyste-mot-de-passe" };
const TIMEOUT = 30_000;

mkdirSync(SCREENSHOTS, { recursive: true });
const context = await chromium.launchPersistentContext(PROFILE_DIR, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  viewport: { width: 1366, height: 800 },
  locale: "fr-FR",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(TIMEOUT);
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(String(error)));
page.on("console", (message) => {
  // A refused request (the wrong password) logs a resource error: that is expected, not a bug.
  if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) pageErrors.push(`console: ${message.text()}`);
});
page.on("dialog", (dialog) => dialog.accept());

const results = [];
async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error.message.split("\n").slice(0, 6).join("\n     ")}`);
    const shot = join(tmpdir(), "pstral-console-failure.png");
    await page.screenshot({ path: shot, fullPage: true }).then(() => console.log(`     screenshot: ${shot}`), () => {});
    throw error;
  }
}
function expect(condition, message) {
  if (!condition) throw new Error(message);
}
const text = (selector) => page.locator(selector).first().innerText();

async function signIn({ username, password }) {
  await page.locator("#login-username").fill(username);
  await page.locator("#login-password").fill(password);
  await page.locator("form.login button[type=submit]").click();
  await page.locator(".sign-out").waitFor();
}
async function signOut() {
  await page.locator(".sign-out").click();
  await page.locator("#login-username").waitFor();
}
async function go(path) {
  await page.goto(BASE + path);
}
async function createUser({ username, password }, role) {
  await page.locator("#new-username").fill(username);
  await page.locator("#new-full-name").fill(`Test ${username}`);
  await page.locator("#new-password").fill(password);
  await page.locator("#new-role").selectOption(role);
  await page.locator("form.create-user button[type=submit]").click();
  await page.locator(`tr[data-username="${username}"]`).waitFor();
}
async function ask(question) {
  const before = await page.locator("article.turn").count();
  await page.locator("#question").fill(question);
  await page.locator("#question").press("Enter");
  await page.waitForFunction((count) => document.querySelectorAll("article.turn").length > count, before);
  return page.locator("article.turn").nth(before);
}
// Resolves when the answer has finished (the feedback buttons or an error appear).
async function finished(turn) {
  await turn.locator(".feedback, .answer-error").first().waitFor({ timeout: 60_000 });
}

let timeToInteractive = 0;
try {
  await check("the login page is usable", async () => {
    await go("/");
    await page.locator("#login-username:enabled").waitFor();
    await page.locator("form.login button[type=submit]:enabled").waitFor();
    timeToInteractive = await page.evaluate(() => performance.now());
    expect((await page.getAttribute("html", "lang")) === "fr", "the page is not in French by default");
    expect((await page.locator("label[for=login-password]").innerText()) === "Mot de passe", "French labels");
    const summary = await page.locator(".service-summary .overall").innerText();
    expect(summary.includes("opérationnel"), `the login page does not show the service's state: ${summary}`);
    await page.screenshot({ path: `${SCREENSHOTS}/login.png` });
  });

  await check("a wrong password is refused with a message", async () => {
    await page.locator("#login-username").fill("admin");
    await page.locator("#login-password").fill("pas-le-bon-mot-de-passe");
    await page.locator("form.login button[type=submit]").click();
    await page.locator("form.login .error").waitFor();
  });

  await check("the admin signs in and the session survives a reload", async () => {
    await signIn({ username: "admin", password: ADMIN_PASSWORD });
    await page.locator("#question").waitFor();
    await page.reload();
    await page.locator("#question").waitFor();
    expect((await page.locator("#login-username").count()) === 0, "the login form came back after a reload");
  });

  await check("the admin creates a steward and an analyst", async () => {
    await go("/admin/users");
    await page.locator("#users-table").waitFor();
    await createUser(STEWARD, "steward");
    await createUser(ANALYST, "analyst");
    await page.screenshot({ path: `${SCREENSHOTS}/admin-users.png` });
  });

  await check("the admin changes a role and disables an account", async () => {
    const intern = { username: "stagiaire", password: "stagiaire-mot-de-passe" };
    await createUser(intern, "analyst");
    const row = page.locator('tr[data-username="stagiaire"]');
    const roleSaved = page.waitForResponse((r) => r.request().method() === "PATCH" && r.status() === 200);
    await row.locator("select").selectOption("steward");
    await roleSaved;
    await row.locator("button", { hasText: "Désactiver" }).click();
    await row.locator(".badge", { hasText: "désactivé" }).waitFor();
    await page.reload();
    await row.locator(".badge", { hasText: "désactivé" }).waitFor();
    expect((await row.locator("select").inputValue()) === "steward", "the role change was not kept");
  });

  await check("the audit log shows the creations, filtered and paginated", async () => {
    await go("/admin/audit");
    await page.locator("#audit-table tbody tr").first().waitFor();
    await page.locator("#audit-action").fill("user.create");
    await page.locator("#audit-username").fill("admin");
    // The first start's creation of the admin has no acting user: the admin created the three others.
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("#audit-table tbody tr")];
      return rows.length === 3 && rows.every((row) => row.innerText.includes("user.create"));
    });
    const download = page.waitForEvent("download");
    await page.locator(".download-csv").click();
    const file = await download;
    expect(file.suggestedFilename().endsWith(".csv"), `unexpected file ${file.suggestedFilename()}`);
    await page.locator("#audit-action").fill("");
    await page.locator("#audit-username").fill("");
    await page.locator("#audit-table tbody tr").nth(3).waitFor();
    await page.locator(".audit-page .pager").waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/admin-audit.png` });
  });

  await check("English, then French again; dark theme toggle", async () => {
    await page.locator(".topbar-tools button[lang=en]").click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    expect((await text(".sign-out")) === "Sign out", "the switch did not translate the page");
    await page.locator(".topbar-tools button[lang=fr]").click();
    await page.waitForFunction(() => document.documentElement.lang === "fr");
    const dark = await page.evaluate(() => document.documentElement.dataset.theme ?? "");
    await page.locator(".theme-toggle").click();
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(after && after !== dark, `the theme toggle did nothing (${dark} → ${after})`);
    await page.locator(".theme-toggle").click();
  });

  await check("a user the admin created can sign in (analyst)", async () => {
    await signOut();
    await signIn(ANALYST);
    await page.locator("#question").waitFor();
  });

  await check("an analyst cannot open admin or steward pages", async () => {
    for (const path of ["/admin/users", "/admin/audit", "/steward/catalog"]) {
      await go(path);
      await page.locator(".forbidden").waitFor();
      expect((await page.locator("#users-table, #audit-table, #catalog-search").count()) === 0, `${path} showed data`);
    }
    expect((await page.locator(".main-nav a[href='/admin/users']").count()) === 0, "the nav links to admin pages");
  });

  let answer;
  await check("a question streams tokens, then the timeline, SQL, rows and a chart", async () => {
    await go("/");
    await page.locator("#question").fill("première ligne");
    await page.locator("#question").press("Shift+Enter");
    expect((await page.locator("#question").inputValue()).includes("\n"), "Shift+Enter did not add a line");
    expect((await page.locator("article.turn").count()) === 0, "Shift+Enter sent the question");
    answer = await ask("Nombre de contrats par branche");
    // Sample the streaming text: it must grow in several steps before the rows arrive.
    const lengths = new Set();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await answer.locator(".results").count()) === 0) {
      const streamed = await answer.locator(".answer-text").allInnerTexts();
      const length = streamed.join("").length;
      if (length > 0) lengths.add(length);
      await page.waitForTimeout(40);
    }
    expect(lengths.size >= 3, `the text did not stream (saw lengths ${[...lengths]})`);
    await finished(answer);
    expect(/\/c\/[0-9a-f-]+$/.test(page.url()), `the address did not become the conversation's (${page.url()})`);
    const retrieved = await answer.locator(".step-retrieved").innerText();
    expect(retrieved.includes("CONTRATS"), `the retrieved tables miss CONTRATS: ${retrieved}`);
    expect((await answer.locator(".step-guard.ok .rule").count()) === 1, "no guard step");
    expect((await answer.locator(".step-plan").count()) >= 1, "no plan step");
    const sql = await answer.locator(".sql-block pre.sql").innerText();
    expect(sql.includes("GROUP BY CD_BRANCHE"), `unexpected SQL: ${sql}`);
    expect((await answer.locator(".sql-block .sql-keyword").count()) > 3, "the SQL is not highlighted");
    const rows = await answer.locator(".results table.data tbody tr").count();
    expect(rows >= 2, `expected rows, got ${rows}`);
    const bars = await answer.locator(".chart-bars svg rect").count();
    expect(bars === rows, `expected ${rows} bars, got ${bars}`);
    expect(await answer.locator(".answer-text strong").count() === 1, "the markdown bold was not rendered");
    await page.locator(".sidebar .conversation.current").waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/chat.png` });
  });

  await check("the answer explains its statement above the rows, and codes show their labels", async () => {
    const explanation = answer.locator(".explanation");
    const text = await explanation.innerText();
    expect(text.includes("Ce que calcule la requête"), `no French heading: ${text}`);
    expect(text.includes("Résultat :") && text.includes("Par :") && text.includes("CD_BRANCHE"), `unexpected: ${text}`);
    const above = await answer.evaluate((turn) => {
      const explained = turn.querySelector(".explanation");
      const results = turn.querySelector(".results");
      return Boolean(explained && results && explained.compareDocumentPosition(results) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
    expect(above, "the explanation is not above the result");
    const cells = await answer.locator(".results td.coded").allInnerTexts();
    expect(cells.some((cell) => cell.includes("10") && cell.includes("Automobile")), `no labelled code: ${cells}`);
    const bars = await answer.locator(".chart-bars .chart-label").allTextContents();
    expect(bars.some((label) => label.startsWith("Automobile")), `the chart shows no labels: ${bars}`);
  });

  await check("the result table sorts by a column", async () => {
    const header = answer.locator(".results th").nth(1);
    await header.locator("button").click();
    expect((await header.getAttribute("aria-sort")) === "ascending", "no ascending sort");
    const values = (await answer.locator(".results tbody tr td:nth-child(2)").allInnerTexts()).map(Number);
    expect(values.every((value, index) => index === 0 || values[index - 1] <= value), `not sorted: ${values}`);
  });

  await check("the result exports as CSV", async () => {
    const download = page.waitForEvent("download");
    await answer.locator(".results-head button", { hasText: "CSV" }).click();
    const file = await download;
    expect(file.suggestedFilename().endsWith(".csv"), `unexpected file ${file.suggestedFilename()}`);
  });

  await check("the SQL is edited and run", async () => {
    await answer.locator(".edit-sql").click();
    await answer.locator("#sql-editor").fill("SELECT CD_STATUT, COUNT(*) AS NB FROM CONTRATS GROUP BY CD_STATUT");
    await answer.locator(".run-sql").click();
    const table = answer.locator(".run-result table.data");
    await table.waitFor();
    expect((await table.locator("thead").innerText()).includes("CD_STATUT"), "the edited SQL's columns are missing");
    expect((await table.locator("tbody tr").count()) >= 1, "the edited SQL returned no rows");
  });

  await check("a large result is paginated and marked truncated", async () => {
    await answer.locator("#sql-editor").fill("SELECT NUM_CLIENT, NOM FROM CLIENTS");
    await answer.locator(".run-sql").click();
    const result = answer.locator(".run-result .results");
    await result.locator(".truncated").waitFor();
    expect((await result.locator("tbody tr").count()) === 20, "a page does not hold 20 rows");
    const pager = result.locator(".pager");
    expect((await pager.innerText()).includes("1 / 50"), `unexpected pager: ${await pager.innerText()}`);
    await pager.locator("button", { hasText: "Suivant" }).click();
    await pager.locator("span", { hasText: "2 / 50" }).waitFor();
  });

  await check("a month and a number draw a line", async () => {
    const sql = "SELECT SUBSTR(DT_EFF, 1, 7) AS MOIS, COUNT(*) AS NB FROM CONTRATS WHERE DT_EFF >= '2024-01-01' GROUP BY MOIS";
    await answer.locator("#sql-editor").fill(sql);
    await answer.locator(".run-sql").click();
    await answer.locator(".run-result .chart-line svg polyline").waitFor();
  });

  await check("a refused statement shows the guard's rule (read_only)", async () => {
    await answer.locator("#sql-editor").fill("DELETE FROM CLIENTS");
    await answer.locator(".run-sql").click();
    const refusal = answer.locator(".guard-refusal");
    await refusal.waitFor();
    const rule = await refusal.locator(".rule").innerText();
    expect(rule === "read_only", `expected the read_only rule, got ${rule}`);
  });

  await check("👍 on an answer is recorded", async () => {
    const helpful = answer.locator(".feedback button").first();
    await helpful.click();
    await page.waitForFunction(() => document.querySelector(".feedback button")?.getAttribute("aria-pressed") === "true");
  });

  await check("the stop button stops an answer", async () => {
    const turn = await ask("Combien de clients habitent à Paris ?");
    await page.locator(".composer .stop").click();
    await finished(turn);
    expect((await turn.locator(".answer-error").innerText()).includes("arrêtée"), "no stopped message");
    await page.locator(".composer .send").waitFor();
  });

  await check("an unavailable model gives a clear message", async () => {
    const turn = await ask("Le modèle est-il en panne ?");
    await finished(turn);
    const message = await turn.locator(".answer-error").innerText();
    expect(message.includes("modèle de langage est indisponible"), `unclear message: ${message}`);
  });

  await check("a second question waits in the queue and shows its position", async () => {
    const other = await context.newPage();
    try {
      await other.goto(BASE + "/");
      await other.locator("#question").waitFor();
      const first = await ask("Nombre de contrats par branche, encore");
      await other.locator("#question").fill("Combien de clients à Paris, en file ?");
      await other.locator("#question").press("Enter");
      const queued = await other.locator(".step-queued").innerText({ timeout: 10_000 });
      expect(queued.includes("position 1"), `unexpected queue step: ${queued}`);
      await other.locator(".feedback").waitFor({ timeout: 60_000 });
      await finished(first);
    } finally {
      await other.close();
    }
  });

  await check("the discussion mode is chosen with the switch", async () => {
    const discussion = page.locator(".mode-switch button", { hasText: "Discussion" });
    await discussion.click();
    expect((await discussion.getAttribute("aria-checked")) === "true", "the switch did not select discussion");
    await page.locator(".mode-switch button", { hasText: "SQL" }).click();
  });

  await check("the conversation is renamed, found by search and reopened", async () => {
    const current = page.locator(".sidebar .conversation.current");
    await current.hover();
    await current.locator("button[aria-label=Renommer]").click();
    await page.locator(".sidebar .conversation.current input").fill("Contrats par branche");
    await page.locator(".sidebar .conversation.current input").press("Enter");
    await page.locator(".sidebar .conversation .title", { hasText: "Contrats par branche" }).waitFor();
    await page.locator("#conversation-search").fill("branche");
    await page.waitForFunction(() => document.querySelectorAll(".sidebar .conversation").length === 1);
    await page.locator(".sidebar .new-conversation").click();
    await page.waitForURL(`${BASE}/`);
    await page.locator(".sidebar .conversation-link", { hasText: "Contrats par branche" }).click();
    await page.waitForURL(/\/c\/[0-9a-f-]+$/);
    await page.locator("article.turn .bubble.question", { hasText: "Nombre de contrats par branche" }).first().waitFor();
    await page.locator("article.turn .sql-block").first().waitFor();
  });

  await check("a conversation is deleted", async () => {
    const queued = page.locator(".sidebar .conversation", { hasText: "en file" });
    await queued.hover();
    await queued.locator("button[aria-label=Supprimer]").click();
    await queued.waitFor({ state: "detached" });
  });

  await check("older conversations load a page at a time", async () => {
    // 50 more conversations, fast: the fake model is "en panne" for these questions, and each is kept anyway.
    const total = await page.evaluate(async () => {
      const { token } = JSON.parse(localStorage.getItem("pstral.session"));
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      for (let i = 1; i <= 50; i++) {
        const body = JSON.stringify({ question: `Modèle en panne n° ${i}` });
        await (await fetch("/api/v1/chat", { method: "POST", headers, body })).text();
      }
      return (await (await fetch("/api/v1/conversations?limit=200", { headers })).json()).length;
    });
    expect(total > 50 && total < 100, `expected between 51 and 99 conversations, found ${total}`);
    await page.reload();
    await page.locator("#conversation-search").fill("");
    await page.waitForFunction(() => document.querySelectorAll(".sidebar .conversation").length === 50);
    await page.locator(".sidebar .older-conversations").click();
    await page.waitForFunction((total) => document.querySelectorAll(".sidebar .conversation").length === total, total);
    expect((await page.locator(".sidebar .older-conversations").count()) === 0, "the button stays after the last page");
  });

  await check("an expired session goes back to sign-in without losing the question", async () => {
    // Revoke the token server-side, as an expiry would.
    await page.evaluate(async () => {
      const { token } = JSON.parse(localStorage.getItem("pstral.session"));
      await fetch("/api/v1/auth/logout", { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    });
    await page.locator("#question").fill("Question gardée après reconnexion");
    await page.locator("#question").press("Enter");
    await page.locator("#login-username").waitFor();
    await signIn(ANALYST);
    const kept = await page.locator("#question").inputValue();
    expect(kept === "Question gardée après reconnexion", `the question was lost: "${kept}"`);
    await page.locator("#question").fill("");
  });

  await check("the steward edits a description and sees it after a reload", async () => {
    await signOut();
    await signIn(STEWARD);
    await go("/steward/catalog");
    await page.locator("#catalog-search").fill("CONTRATS");
    await page.locator(".table-list a", { hasText: /^CONTRATS/ }).first().click();
    await page.waitForURL(/\/steward\/catalog\/CONTRATS$/);
    const description = `Polices d'assurance, test ${Date.now()}`;
    await page.locator(".curated .edit-description").click();
    await page.locator(".curated textarea").fill(description);
    await page.locator(".curated .save-description").click();
    await page.locator(".curated .description-text", { hasText: description }).waitFor();
    await page.reload();
    await page.locator(".curated .description-text", { hasText: description }).waitFor();
    expect((await page.locator("tr[data-column] .badge", { hasText: "PK" }).count()) >= 1, "no primary key shown");
    await page.screenshot({ path: `${SCREENSHOTS}/steward-catalog.png` });
  });

  await check("the steward sees each code column's list with its source", async () => {
    const statut = page.locator("tr[data-column='CD_STATUT'] .code-list");
    const text = await statut.innerText();
    expect(text.includes("RS") && text.includes("Résilié") && text.includes("codes.md"), `no code list: ${text}`);
    const branche = await page.locator("tr[data-column='CD_BRANCHE'] .code-list").innerText();
    expect(branche.includes("Automobile"), `no branch labels: ${branche}`);
    await page.locator("tr[data-column='CD_STATUT']").scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/steward-codes.png` });
  });

  await check("the steward edits a code's label, which wins over the document's", async () => {
    const code = page.locator("tr[data-column='CD_BRANCHE'] .code-list li[data-code='10']");
    const save = page.waitForResponse((r) => r.url().endsWith("/catalog/codes") && r.status() === 204);
    await code.locator(".edit-code").click();
    await code.locator("input").fill("Auto et flottes");
    await code.locator(".save-code").click();
    await save;
    await page.reload();
    const text = await page.locator("tr[data-column='CD_BRANCHE'] .code-list li[data-code='10']").innerText();
    expect(text.includes("Auto et flottes") && text.includes("steward"), `the label was not kept: ${text}`);
  });

  await check("the steward marks a column sensitive", async () => {
    const saved = () => page.waitForResponse((r) => r.url().endsWith("/catalog/curations") && r.status() === 204);
    let save = saved();
    await page.locator("#sensitive-NUM_POLICE").check();
    await save;
    await page.reload();
    await page.locator("#sensitive-NUM_POLICE:checked").waitFor();
    save = saved();
    await page.locator("#sensitive-NUM_POLICE").uncheck();
    await save;
    await page.reload();
    await page.locator("#sensitive-NUM_POLICE:not(:checked)").waitFor();
  });

  await check("the steward verifies the 👍 pair", async () => {
    await go("/steward/pairs");
    const pair = page.locator(".pair", { hasText: "Nombre de contrats par branche" });
    await pair.waitFor();
    await pair.locator("button.primary").click();
    await pair.waitFor({ state: "detached" });
  });

  await check("the steward re-indexes and sees the progress", async () => {
    await go("/steward/index");
    await page.locator(".facts").waitFor();
    const tables = Number(await page.locator(".facts dd").nth(2).innerText());
    expect(tables > 5, `the index reports ${tables} tables`);
    await page.locator(".index-page button.primary").click();
    await page.locator(".progress[role=progressbar]").waitFor();
    await page.locator(".index-page button.primary:enabled").waitFor({ timeout: 300_000 });
  });
  await check("a column the steward marks sensitive is refused to the analyst, explained in French", async () => {
    await go("/steward/catalog/CLIENTS");
    const save = page.waitForResponse((r) => r.url().endsWith("/catalog/curations") && r.status() === 204);
    await page.locator("#sensitive-PRENOM").check();
    await save;
    await signOut();
    await signIn(ANALYST);
    await go("/");
    const turn = await ask("Liste des prénoms des clients particuliers");
    await finished(turn);
    const error = await turn.locator(".answer-error").innerText();
    expect(error.includes("Donnée protégée"), `the refusal is not explained in French: ${error}`);
    expect(error.includes("PRENOM"), `the refusal does not name the column: ${error}`);
    expect((await turn.locator("table").count()) === 0, "rows were shown");
    await page.screenshot({ path: `${SCREENSHOTS}/sensitive-refused.png` });
  });

  await check("after the re-index, the analyst's answer shows the steward's label", async () => {
    const turn = await ask("Nombre de contrats par branche");
    await finished(turn);
    const cells = await turn.locator(".results td.coded").allInnerTexts();
    expect(cells.some((cell) => cell.includes("Auto et flottes")), `the steward's label is not used: ${cells}`);
  });
} catch {
  // Reported by check().
} finally {
  await context.close();
}

const failed = results.filter((result) => !result.ok).length;
console.log(`time to interactive (navigation start → login form usable): ${Math.round(timeToInteractive)} ms`);
if (pageErrors.length) console.log(`page errors:\n  ${pageErrors.join("\n  ")}`);
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed || results.length === 0 || pageErrors.length ? 1 : 0);
