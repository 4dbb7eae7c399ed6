import { expect, type Page, test } from '@playwright/test';
import { axeViolations, checkBothSchemes as checkBothSchemesWith, SCREENSHOTS } from './axe';
import { csrfHeaders, MOCK_URL, mockControl, ok, signIn } from './fixtures';

async function checkBothSchemes(page: Page, shot: string) {
  await checkBothSchemesWith(page, shot, axeViolations);
}

test('an admin edits, disables, enables, recovers, redelivers, filters and rotates a webhook endpoint; a recruiter is refused', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const tag = Date.now().toString(36);
  const name = `E2E hook ${tag}`;
  const path = `/e2e-hook-${tag}`;
  await signIn(page, 'admin', '/sync-admin/webhooks');
  const headers = await csrfHeaders(page);
  await mockControl('/_mock/config', { path, mode: 'status', fail_status: 503 });
  const endpoint = await ok(
    await page.request.post('/api/v1/webhooks', {
      headers,
      data: { name, url: `${MOCK_URL}${path}`, events: ['sync.failed'] },
    }),
  );
  try {
    await page.goto(`/sync-admin/webhooks?endpoint=${endpoint.id}`);
    const panel = page.getByTestId('endpoint-panel');
    await expect(panel.getByRole('heading', { name, level: 2 })).toBeVisible();
    const log = panel.getByRole('table', { name: `Deliveries to ${name}, newest first` });

    // A test event the receiver refuses waits to retry; disabling ends it unsent.
    await panel.getByRole('button', { name: 'Send test event' }).click();
    await expect(log.getByText('Retrying')).toBeVisible({ timeout: 30_000 });
    await expect(panel).toContainText('Every attempt since');
    await expect(panel).toContainText('it is disabled automatically on');
    await panel.getByRole('button', { name: 'Disable' }).click();
    const disable = page.getByRole('dialog', { name: `Disable ${name}?` });
    await expect(disable).toContainText('Deliveries still queued or waiting to retry are not sent either');
    await expect(disable.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await disable.getByRole('button', { name: 'Disable endpoint' }).click();
    await expect(panel.getByTestId('endpoint-disabled')).toContainText('Disabled by admin@example.com');
    await expect(page.getByRole('row').filter({ hasText: name }).first()).toContainText('Disabled');
    await expect(log.getByText('not sent: the endpoint is disabled')).toBeVisible({ timeout: 60_000 });
    await checkBothSchemes(page, 'webhooks-disabled');

    // Enabling offers what failed meanwhile; the receiver works again and gets it.
    await mockControl('/_mock/config', { path, mode: 'ok' });
    await panel.getByRole('button', { name: 'Enable' }).click();
    await expect(panel).toContainText('1 event failed or were not sent while it was off.');
    await panel.getByRole('button', { name: 'Send it again' }).click();
    await expect(page.getByText('1 failed event is being sent again.')).toBeVisible();
    await expect(log.getByRole('row').filter({ hasText: 'Sent again' })).toContainText('Delivered', {
      timeout: 30_000,
    });

    // The log's filter is in the address and survives a reload.
    await panel.getByLabel('Status').selectOption('failed');
    await expect(page).toHaveURL(/status=failed/);
    await expect(log.getByRole('row')).toHaveCount(2);
    await page.reload();
    await expect(panel.getByLabel('Status')).toHaveValue('failed');
    await expect(log.getByRole('row')).toHaveCount(2);

    // Redeliver the failed one by hand.
    await log.getByRole('button', { name: /^Redeliver Test event/ }).click();
    await expect(page.getByText(/^Test event \w{8} is being sent again\.$/)).toBeVisible();
    await panel.getByRole('button', { name: 'Clear' }).click();
    await expect(page).not.toHaveURL(/status=/);
    await expect(log.getByRole('row').filter({ hasText: 'Sent again' })).toHaveCount(2, { timeout: 30_000 });

    // Edit: the description shows on the panel and in the list.
    await panel.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${name}` });
    await checkBothSchemes(page, 'webhooks-edit');
    await edit.getByLabel('Description (optional)').fill('Pages the on-call engineer');
    await edit.getByLabel('URL').fill('ftp://nope');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit.getByLabel('URL')).toBeFocused();
    await edit.getByLabel('URL').fill(`${MOCK_URL}${path}`);
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(panel).toContainText('Pages the on-call engineer');

    // Rotate: the new secret once, both secrets signing for 24 hours.
    await panel.getByRole('button', { name: 'Rotate secret' }).click();
    const rotate = page.getByRole('dialog', { name: `Rotate the secret of ${name}?` });
    await expect(rotate.getByLabel(/Keeps signing for 24 hours/)).toBeChecked();
    await checkBothSchemes(page, 'webhooks-rotate');
    await rotate.getByRole('button', { name: 'Rotate secret' }).click();
    const reveal = page.getByRole('dialog', { name: 'Copy the new signing secret' });
    await expect(reveal.getByLabel(`New signing secret for “${name}”`)).toHaveValue(/^whsec_/);
    await expect(reveal).toContainText('every request carries two signatures');
    await checkBothSchemes(page, 'webhooks-rotated');
    await reveal.getByRole('button', { name: 'I’ve copied it' }).click();
    await expect(panel).toContainText('the previous secret also signs until');
    await checkBothSchemes(page, 'webhooks-endpoint');

    // On a phone the endpoint's page does not scroll sideways (the log scrolls inside its card).
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload({ waitUntil: 'networkidle' });
    await expect(panel.getByRole('heading', { name, level: 2 })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOTS}/webhooks-endpoint-phone.png`, fullPage: true });

    const recruiterContext = await browser.newContext();
    const recruiter = await recruiterContext.newPage();
    try {
      await signIn(recruiter, 'recruiter');
      const res = await recruiter.goto(`/sync-admin/webhooks?endpoint=${endpoint.id}`);
      expect(res?.status()).toBe(403);
      await expect(recruiter.getByText(name)).toHaveCount(0);
      const api = await recruiter.request.get(`/api/v1/webhooks/${endpoint.id}/deliveries`);
      expect(api.status()).toBe(403);
    } finally {
      await recruiterContext.close();
    }
  } finally {
    await ok(await page.request.delete(`/api/v1/webhooks/${endpoint.id}`, { headers }));
    await mockControl('/_mock/config', { path, mode: 'ok' });
  }
});
