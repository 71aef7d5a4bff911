/**
 * The scrubbing's case table (DEFINITIONS "Privacy: what is scrubbed"): what goes in, what must
 * come out. Run against the module (scrub.test.ts), and through the SDK (sdk/src/privacy.test.ts)
 * and the collector's ingest (collector/src/enrich/scrub.test.ts), which must give the same.
 */

/** [what the rule is, input URL, scrubbed URL]; the site keeps `q` (`data-keep-params="q"`) */
export const URL_CASES: [string, string, string][] = [
  ['query values not on the allow-list', 'https://s.example/cb?code=4%2F0AX4XfWh&state=xyz&secret=a&pwd=b&otp=123456&ssn=078-05-1120&card=4111111111111111&jwt=x&reset=1&sig=s&uid=7', 'https://s.example/cb?code=***&state=***&secret=***&pwd=***&otp=***&ssn=***&card=***&jwt=***&reset=***&sig=***&uid=***'],
  ['UTM tags, click ids (a token value redacted), ref, page, lang and the site\'s own kept', 'https://s.example/?utm_source=news&utm_campaign=spring_sale_2024&gclid=Cj0KCQjw8OVBhCpARIsACMvVLP1234&ref=ph&page=2&lang=ja&q=shoes', 'https://s.example/?utm_source=news&utm_campaign=spring_sale_2024&gclid=***&ref=ph&page=2&lang=ja&q=shoes'],
  ['an e-mail under any name, percent-encoded', 'https://s.example/?e=carol%40example.com&utm_content=carol%40example.com', 'https://s.example/?e=***&utm_content=***'],
  ['secrets inside a kept value: the rest kept (Yahoo! JAPAN\'s prefix)', 'https://s.example/?yclid=YSS.1000012345.EAIaIQobChMIxyz123abc&q=call+090-1234-5678', 'https://s.example/?yclid=YSS.1000012345.***&q=call%20***'],
  ['a redirect holding an e-mail', 'https://s.example/login?redirect=https%3A%2F%2Fs.example%2F%3Femail%3Dcarol%2540example.com', 'https://s.example/login?redirect=***'],
  ['a parameter with no value, and a secret-shaped name', 'https://s.example/?debug&dave@example.com=1', 'https://s.example/?debug&***=***'],
  ['fragments dropped: tokens of an OAuth implicit flow', 'https://s.example/cb#access_token=ya29.a0AfB_byC&id_token=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln&token_type=Bearer', 'https://s.example/cb'],
  ['an anchor dropped', 'https://s.example/pricing#plans', 'https://s.example/pricing'],
  ['a route kept, its query scrubbed, its anchor dropped', 'https://s.example/#/faq/42?token=abc&utm_medium=x&q=returns#shipping', 'https://s.example/#/faq/42?token=***&utm_medium=x&q=returns'],
  ['a #! route kept', 'https://s.example/#!/orders/7?email=a%40b.example', 'https://s.example/#!/orders/7?email=***'],
  ['an e-mail in a path, plain or encoded', 'https://s.example/users/dave@example.com/profile', 'https://s.example/users/***/profile'],
  ['an e-mail in a path, encoded', 'https://s.example/users/dave%40example.com', 'https://s.example/users/***'],
  ['card and phone numbers in a path; ordinary ids kept', 'https://s.example/orders/123/4111111111111111/09012345678/550e8400-e29b-41d4-a716-446655440000/1732300000', 'https://s.example/orders/123/***/***/550e8400-e29b-41d4-a716-446655440000/1732300000'],
  ['a token or a JWT in a path', 'https://s.example/reset/8f3e2a9c4b7d1e6f0a2b3c4d5e6f7a8b/eyJhbGciOiJIUzI1NiJ9.e30.abc', 'https://s.example/reset/***/***'],
  ['a slug kept', 'https://s.example/blog/how-to-return-an-order-in-2024', 'https://s.example/blog/how-to-return-an-order-in-2024'],
  ['user name and password dropped', 'https://user:pw@s.example/a', 'https://s.example/a'],
  ['a referrer\'s search query: its secrets removed even where q is kept', 'https://www.google.com/search?q=dave%40example.com+order', 'https://www.google.com/search?q=***%20order'],
  ['not a URL: its text scrubbed, without query and fragment', 'dave@example.com?x=1', '***'],
];

/** [what the rule is, input text, scrubbed text] (titles, error messages, FAQ searches …) */
export const TEXT_CASES: [string, string, string][] = [
  ['an e-mail and a card number (Luhn)', 'Payment failed for ivan@example.com card 4111 1111 1111 1111', 'Payment failed for *** card ***'],
  ['a card-like number failing Luhn, a timestamp, an order number: kept', 'Order 4111111111111112 at 1732300000000, #1234567890', 'Order 4111111111111112 at 1732300000000, #1234567890'],
  ['phone numbers: international, Japanese, North American', 'Call +81 90-1234-5678, 03-1234-5678 or (212) 555-1234', 'Call ***, *** or ***'],
  ['dates and versions kept', 'Build 1.2.3 at 2024-01-15 10:30', 'Build 1.2.3 at 2024-01-15 10:30'],
  ['a JWT and a long token', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig and key sk_live_a1B2c3D4e5F6g7H8i9J0', 'Bearer *** and key ***'],
  ['a name and an e-mail in a title', 'Dave Smith (dave.smith+shop@example.co.jp) – My account', 'Dave Smith (***) – My account'],
  ['plain words, long or not', 'Internationalization and localisation guide', 'Internationalization and localisation guide'],
];
