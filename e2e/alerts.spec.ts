import { type Browser, expect, type Page, test } from '@playwright/test';
import { axeViolations, checkBothSchemes } from './axe';
import { csrfHeaders, MOCK_URL, mockControl, ok, type Role, signIn } from './fixtures';

/**
 * Issue 23 item 1, the alerts page: an admin sets up a Slack channel (pointed at the e2e mock
 * receiver on 127.0.0.1), a rule, tests both and sees the messages arrive; a channel that fails
 * shows why; viewers read it all without a single write control; recruiters are refused.
 */

type MockRequest = { path: string; method: string; body: string; json: unknown };

async function requestsAt(path: string): Promise<MockRequest[]> {
  const res = await fetch(`${MOCK_URL}/_mock/requests?path=${encodeURIComponent(path)}`);
  expect(res.ok).toBe(true);
  return ((await res.json()) as { requests: MockRequest[] }).requests;
}

/** Waits until the receiver has had `count` requests under `path`, and answers them. */
async function waitForRequests(path: string, count: number): Promise<MockRequest[]> {
  await expect.poll(async () => (await requestsAt(path)).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(count);
  return requestsAt(path);
}

async function withUser<T>(browser: Browser, role: Role, run: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await signIn(page, role);
    return await run(page);
  } finally {
    await context.close();
  }
}

test('an admin sets up a Slack channel and a rule, tests them, edits, disables and deletes them; viewers read, recruiters are refused', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const hookPath = `/slack-e2e-${tag}`;
  const channelName = `#alerts-${tag}`;
  const ruleName = `E2E workers ${tag}`;
  await mockControl('/_mock/config', { path: hookPath, mode: 'ok' });
  await signIn(page, 'admin', '/sync-admin/alerts');
  await expect(page.getByRole('heading', { name: 'Alerts', level: 1 })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Sync admin' }).getByRole('link', { name: 'Alerts' }),
  ).toHaveAttribute('aria-current', 'page');
  const headers = await csrfHeaders(page);
  const rulesTable = page.getByRole('table', { name: 'Alert rules with their channels and state' });
  const channelsTable = page.getByRole('table', { name: 'Alert channels with where they send and their last result' });
  const created: { channels: string[]; rules: string[] } = { channels: [], rules: [] };

  try {
    // The channel: the URL is checked in the browser first, then stored and shown masked.
    await page.getByRole('button', { name: 'Add channel' }).click();
    const add = page.getByRole('dialog', { name: 'Add alert channel' });
    // The e2e server has no SMTP_URL: email is offered, switched off, with what to set.
    await expect(add.getByRole('radio', { name: 'Email' })).toBeDisabled();
    await expect(add).toContainText('To send alerts by email: Set SMTP_URL');
    await add.getByLabel('Name').fill(channelName);
    await add.getByLabel('Webhook URL').fill('hooks.slack.com/services/x');
    await add.getByRole('button', { name: 'Add channel' }).click();
    await expect(add.getByLabel('Webhook URL')).toBeFocused();
    await expect(add).toContainText('Enter the whole URL Slack gave you');
    await add.getByLabel('Webhook URL').fill(`${MOCK_URL}${hookPath}/services/T0E2E/B0E2E/verysecretpart`);
    await add.getByRole('button', { name: 'Add channel' }).click();
    await expect(add).toBeHidden();
    const channelRow = channelsTable.getByRole('row').filter({ hasText: channelName });
    await expect(channelRow).toContainText('Slack');
    await expect(channelRow).toContainText('Nothing sent yet');
    await expect(channelRow).not.toContainText('verysecretpart');

    // A name already taken: the server's answer lands under the field, nothing is added.
    await page.getByRole('button', { name: 'Add channel' }).click();
    await add.getByLabel('Name').fill(channelName.toUpperCase());
    await add.getByLabel('Webhook URL').fill(`${MOCK_URL}${hookPath}/services/T1/B1/other`);
    await add.getByRole('button', { name: 'Add channel' }).click();
    await expect(add.getByLabel('Name')).toBeFocused();
    await expect(add.getByRole('alert')).toContainText(/name/i);
    await add.getByRole('button', { name: 'Cancel' }).click();
    await expect(channelsTable.getByRole('row').filter({ hasText: new RegExp(channelName, 'i') })).toHaveCount(1);
    const channels = (await ok(await page.request.get('/api/v1/alerts/channels'))) as {
      channels: { id: string; name: string }[];
    };
    created.channels.push(channels.channels.find((c) => c.name === channelName)?.id ?? '');

    // Test: the result inline, the message at the receiver.
    await channelRow.getByRole('button', { name: `Test ${channelName}` }).click();
    await expect(channelRow.getByRole('status')).toHaveText(`Sent to ${channelName}`, { timeout: 30_000 });
    const [first] = await waitForRequests(hookPath, 1);
    expect(first.method).toBe('POST');
    expect(first.body).toContain('Test from ATS Sync');
    await expect(channelRow.getByText('Sent', { exact: true })).toBeVisible();

    // The rule: the form checks the threshold with its range before sending anything.
    await page.getByRole('button', { name: 'New rule' }).click();
    const newRule = page.getByRole('dialog', { name: 'New alert rule' });
    await newRule.getByLabel('No worker').check();
    await expect(newRule.getByLabel('Name')).toHaveValue('No worker');
    await newRule.getByLabel('Name').fill(ruleName);
    await newRule.getByLabel('No worker for (seconds)').fill('10');
    for (const box of await newRule.getByRole('group', { name: 'Notify' }).getByRole('checkbox').all()) {
      await box.uncheck();
    }
    await newRule.getByLabel(`${channelName} (Slack)`).check();
    await newRule.getByLabel('Quiet period (minutes)').fill('30');
    await expect(newRule).toContainText('One outage sends one message, and a recovery message when it ends.');
    await checkBothSchemes(page, 'alerts-new-rule', axeViolations);
    await newRule.getByRole('button', { name: 'Add rule' }).click();
    await expect(newRule.getByLabel('No worker for (seconds)')).toBeFocused();
    await expect(newRule).toContainText('Enter a whole number of seconds from 30 to 3600');
    await newRule.getByLabel('No worker for (seconds)').fill('90');
    await newRule.getByRole('button', { name: 'Add rule' }).click();
    await expect(newRule).toBeHidden();
    const ruleRow = rulesTable.getByRole('row').filter({ hasText: ruleName });
    await expect(ruleRow).toContainText('No worker for 90 s');
    await expect(ruleRow).toContainText(channelName);
    await expect(ruleRow).toContainText('30 min');
    await expect(ruleRow).toContainText('OK');
    const rules = (await ok(await page.request.get('/api/v1/alerts/rules'))) as {
      rules: { id: string; name: string }[];
    };
    created.rules.push(rules.rules.find((r) => r.name === ruleName)?.id ?? '');
    // The server renders the page with its rules and channels: nothing to wait for after load.
    const html = await (await page.request.get('/sync-admin/alerts')).text();
    expect(html).toContain(ruleName);
    expect(html).toContain(channelName);

    // Run failed, for one chosen source: the sources picker and the threshold in percent.
    const runRuleName = `E2E runs ${tag}`;
    await page.getByRole('button', { name: 'New rule' }).click();
    await newRule.getByLabel('Run failed').check();
    await newRule.getByLabel('Name').fill(runRuleName);
    await newRule.getByLabel('Failed deliveries (% of the run)').fill('25');
    await newRule.getByLabel('Chosen sources').check();
    await newRule.getByRole('button', { name: 'Add rule' }).click();
    await expect(newRule).toContainText('Choose at least one source, or every source');
    await newRule.getByLabel('HR system (demo)').check();
    for (const box of await newRule.getByRole('group', { name: 'Notify' }).getByRole('checkbox').all()) {
      await box.uncheck();
    }
    await newRule.getByLabel(`${channelName} (Slack)`).check();
    await newRule.getByRole('button', { name: 'Add rule' }).click();
    await expect(newRule).toBeHidden();
    const runRuleRow = rulesTable.getByRole('row').filter({ hasText: runRuleName });
    await expect(runRuleRow).toContainText('A run fails for 25 % or more of its deliveries to HR system (demo)');
    await expect(runRuleRow).toContainText('60 min');
    const runRule = (
      (await ok(await page.request.get('/api/v1/alerts/rules'))) as { rules: { id: string; name: string }[] }
    ).rules.find((r) => r.name === runRuleName);
    created.rules.push(runRule?.id ?? '');
    await runRuleRow.getByRole('button', { name: `Delete ${runRuleName}` }).click();
    await page
      .getByRole('dialog', { name: `Delete ${runRuleName}?` })
      .getByRole('button', { name: 'Delete rule' })
      .click();
    await expect(runRuleRow).toHaveCount(0);

    await ruleRow.getByRole('button', { name: `Test ${ruleName}` }).click();
    await expect(ruleRow.getByRole('status')).toHaveText(`Sent to ${channelName}`, { timeout: 30_000 });
    await waitForRequests(hookPath, 2);
    await checkBothSchemes(page, 'alerts-admin', axeViolations);

    // A channel that refuses: the failure inline and on the channel's row, the page carries on.
    await mockControl('/_mock/config', { path: hookPath, mode: 'status', fail_status: 404 });
    await channelRow.getByRole('button', { name: `Test ${channelName}` }).click();
    await expect(channelRow.getByRole('status')).toContainText('Failed:', { timeout: 30_000 });
    await expect(channelRow.getByTestId('channel-error')).toBeVisible();
    await expect(channelRow.getByText('Failed', { exact: true })).toBeVisible();
    await checkBothSchemes(page, 'alerts-channel-failed', axeViolations);
    await mockControl('/_mock/config', { path: hookPath, mode: 'ok' });

    // Edit the rule: the kind stays, the threshold changes.
    await ruleRow.getByRole('button', { name: `Edit ${ruleName}` }).click();
    const editRule = page.getByRole('dialog', { name: `Edit ${ruleName}` });
    await expect(editRule).toContainText('The kind of a rule cannot change');
    await expect(editRule.getByLabel('No worker for (seconds)')).toHaveValue('90');
    await editRule.getByLabel('No worker for (seconds)').fill('300');
    await editRule.getByRole('button', { name: 'Save rule' }).click();
    await expect(editRule).toBeHidden();
    await expect(ruleRow).toContainText('No worker for 5 min');

    // Edit the channel: the saved URL is not readable; an empty field keeps it.
    const renamed = `#ops-${tag}`;
    await channelRow.getByRole('button', { name: `Edit ${channelName}` }).click();
    const editChannel = page.getByRole('dialog', { name: `Edit ${channelName}` });
    await expect(editChannel.getByLabel('New webhook URL (optional)')).toHaveValue('');
    await expect(editChannel).toContainText('cannot be shown again');
    await editChannel.getByLabel('Name').fill(renamed);
    await editChannel.getByRole('button', { name: 'Save channel' }).click();
    await expect(editChannel).toBeHidden();
    const renamedRow = channelsTable.getByRole('row').filter({ hasText: renamed });
    await expect(ruleRow).toContainText(renamed);
    await renamedRow.getByRole('button', { name: `Test ${renamed}` }).click();
    await expect(renamedRow.getByRole('status')).toHaveText(`Sent to ${renamed}`, { timeout: 30_000 });

    // Disable, then enable again.
    await ruleRow.getByRole('button', { name: `Disable ${ruleName}` }).click();
    await expect(ruleRow.getByText('Disabled', { exact: true })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: `${ruleName} is disabled` })).toBeVisible();
    await renamedRow.getByRole('button', { name: `Disable ${renamed}` }).click();
    await expect(ruleRow).toContainText(`${renamed} (disabled)`);
    await renamedRow.getByRole('button', { name: `Enable ${renamed}` }).click();
    await expect(ruleRow).not.toContainText('(disabled)');

    // A viewer sees the rules, channels and history, and nothing that would change them.
    await withUser(browser, 'viewer', async (viewer) => {
      await viewer.goto('/sync-admin/alerts');
      await expect(viewer.getByRole('row').filter({ hasText: ruleName })).toContainText('No worker for 5 min');
      await expect(
        viewer
          .getByRole('table', { name: /^Alert channels/ })
          .getByRole('row')
          .filter({ hasText: renamed }),
      ).toContainText('Slack');
      for (const name of ['Add channel', 'New rule', /^Test /, /^Edit /, /^Delete /, /^(Enable|Disable) /]) {
        await expect(viewer.getByRole('button', { name })).toHaveCount(0);
      }
      await checkBothSchemes(viewer, 'alerts-viewer', axeViolations);
    });

    // A recruiter gets the forbidden page and no alerts data.
    await withUser(browser, 'recruiter', async (recruiter) => {
      await expect(recruiter.getByRole('link', { name: 'Alerts' })).toHaveCount(0);
      const res = await recruiter.goto('/sync-admin/alerts');
      expect(res?.status()).toBe(403);
      await expect(recruiter.getByRole('heading', { name: 'You don’t have access to this page' })).toBeVisible();
      await expect(recruiter.getByText(ruleName)).toHaveCount(0);
      expect((await recruiter.request.get('/api/v1/alerts/rules')).status()).toBe(403);
    });

    // Delete both; the channel's dialog says which rule is left with nobody to notify.
    await renamedRow.getByRole('button', { name: `Delete ${renamed}` }).click();
    const deleteChannel = page.getByRole('dialog', { name: `Delete ${renamed}?` });
    await expect(deleteChannel).toContainText(`${ruleName} has no other channel and will notify nobody`);
    await deleteChannel.getByRole('button', { name: 'Delete channel' }).click();
    await expect(renamedRow).toHaveCount(0);
    await expect(ruleRow).toContainText('No channel: notifies nobody');
    await ruleRow.getByRole('button', { name: `Test ${ruleName}` }).click();
    await expect(ruleRow.getByRole('status')).toHaveText(/^Failed: .*no channel/);

    // On a phone the page does not scroll sideways (the tables scroll inside their cards).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'networkidle' });
    await expect(ruleRow).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'test-results/screenshots/alerts-phone.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });

    await ruleRow.getByRole('button', { name: `Delete ${ruleName}` }).click();
    await page
      .getByRole('dialog', { name: `Delete ${ruleName}?` })
      .getByRole('button', { name: 'Delete rule' })
      .click();
    await expect(ruleRow).toHaveCount(0);
    created.channels.length = 0;
    created.rules.length = 0;
  } finally {
    for (const id of created.rules.filter(Boolean)) {
      await page.request.delete(`/api/v1/alerts/rules/${id}`, { headers });
    }
    for (const id of created.channels.filter(Boolean)) {
      await page.request.delete(`/api/v1/alerts/channels/${id}`, { headers });
    }
    await mockControl('/_mock/config', { path: hookPath, mode: 'ok' });
  }
});

test('an incident shows while a webhook endpoint is disabled and resolves when it is enabled, with the messages it sent', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const hookPath = `/slack-e2e-incident-${tag}`;
  const endpointName = `E2E alerted hook ${tag}`;
  const ruleName = `E2E endpoints ${tag}`;
  await mockControl('/_mock/config', { path: hookPath, mode: 'ok' });
  await signIn(page, 'admin', '/sync-admin/alerts');
  const headers = await csrfHeaders(page);

  // Incidents come from the evaluator, which the web server runs every ALERTS_EVALUATE_SECONDS:
  // wait for its first pass.
  await expect
    .poll(async () => (await ok(await page.request.get('/api/v1/alerts/settings'))).evaluated_at !== null, {
      timeout: 45_000,
    })
    .toBe(true);

  const { channel } = await ok(
    await page.request.post('/api/v1/alerts/channels', {
      headers,
      data: { name: `#incidents-${tag}`, kind: 'slack', slack_webhook_url: `${MOCK_URL}${hookPath}/services/T/B/x` },
    }),
  );
  const { rule } = await ok(
    await page.request.post('/api/v1/alerts/rules', {
      headers,
      data: {
        name: ruleName,
        kind: 'webhook_disabled',
        params: {},
        channel_ids: [channel.id],
        quiet_period_minutes: 0,
      },
    }),
  );
  const endpoint = await ok(
    await page.request.post('/api/v1/webhooks', {
      headers,
      data: { name: endpointName, url: `${MOCK_URL}/e2e-alerted-${tag}`, events: ['sync.failed'] },
    }),
  );
  try {
    await ok(await page.request.patch(`/api/v1/webhooks/${endpoint.id}`, { headers, data: { is_active: false } }));
    await page.goto('/sync-admin/alerts');
    const ruleRow = page
      .getByRole('table', { name: 'Alert rules with their channels and state' })
      .getByRole('row')
      .filter({ hasText: ruleName });
    const incidentRow = page
      .getByRole('table', { name: /^Alert incidents/ })
      .getByRole('row')
      .filter({ hasText: endpointName });
    // The page refreshes rules and incidents on its own: no reload.
    await expect(ruleRow).toContainText('Firing', { timeout: 60_000 });
    await expect(ruleRow).toContainText('since');
    await expect(incidentRow).toContainText('Open', { timeout: 30_000 });
    await expect(incidentRow).toContainText(ruleName);
    await expect(incidentRow).toContainText('so far');
    await expect(incidentRow).toContainText('1 sent', { timeout: 30_000 });
    await expect(incidentRow.getByRole('link', { name: `Webhook endpoint ${endpointName}` })).toHaveAttribute(
      'href',
      new RegExp(`/sync-admin/webhooks\\?endpoint=${endpoint.id}$`),
    );
    await expect(page.getByRole('link', { name: /^\d+ open incidents?$/ })).toBeVisible();
    const [firing] = await waitForRequests(hookPath, 1);
    expect(firing.body).toContain(endpointName);
    // The channel's last result follows what the evaluator sent, without a reload.
    await expect(
      page
        .getByRole('table', { name: /^Alert channels/ })
        .getByRole('row')
        .filter({ hasText: `#incidents-${tag}` })
        .getByText('Sent', { exact: true }),
    ).toBeVisible({ timeout: 30_000 });
    await checkBothSchemes(page, 'alerts-incident-open', axeViolations);

    // Enabled again: the incident resolves and a recovery message goes out.
    await ok(await page.request.patch(`/api/v1/webhooks/${endpoint.id}`, { headers, data: { is_active: true } }));
    await expect(incidentRow).toContainText('Resolved', { timeout: 60_000 });
    await expect(incidentRow).toContainText('2 sent', { timeout: 30_000 });
    await expect(incidentRow).not.toContainText('so far');
    await expect(ruleRow).toContainText('OK');
    await waitForRequests(hookPath, 2);
    await checkBothSchemes(page, 'alerts-incident-resolved', axeViolations);
  } finally {
    await page.request.delete(`/api/v1/webhooks/${endpoint.id}`, { headers });
    await page.request.delete(`/api/v1/alerts/rules/${rule.id}`, { headers });
    await page.request.delete(`/api/v1/alerts/channels/${channel.id}`, { headers });
  }
});
