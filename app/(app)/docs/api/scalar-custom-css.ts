/**
 * Scalar's `customCss` for /docs/api: its default theme (@scalar/api-reference 1.76) draws muted
 * text and HTTP method names below WCAG AA's 4.5:1 (axe color-contrast). Only the theme variables
 * change, hue kept, each value checked against the surfaces Scalar puts text on: background-1/2/3
 * (light #fff / #f6f6f6 / #e7e7e7, dark #0f0f0f / #1a1a1a / #272727).
 */
export const SCALAR_CUSTOM_CSS = `
.light-mode {
  /* Secondary text (parameter descriptions, "This deployment"): #707070 gave 4.0:1 on background-3. */
  --scalar-color-2: #525252;
  /* Muted text (search placeholder, "No authentication selected", client tab names): #8e8e8e gave 3.2:1. */
  --scalar-color-3: #666666;
  /* Method names (POST, DELETE, PATCH, PUT) in the sidebar and the endpoint lists, JSON literals in
     examples: Scalar's greens, reds, yellows and oranges gave 1.6-3.9:1 on white and #f6f6f6. */
  --scalar-color-green: #047857;
  --scalar-color-red: #b91c1c;
  --scalar-color-yellow: #8a5a00;
  --scalar-color-orange: #b54100;
  --scalar-color-blue: #005fa3;
  --scalar-color-query: #006b70;
}
.dark-mode {
  /* Muted text: #797979 gave 4.2-4.4:1 on the dark backgrounds. */
  --scalar-color-3: #999999;
  /* DELETE and error literals: #f00000 gave 3.9:1 on background-2. */
  --scalar-color-red: #ff6b6b;
}
`;
