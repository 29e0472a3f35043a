// The official `@anthropic-ai/sdk` library against Switchboard's /v1/messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { NATURAL, chatPrompt, simulatedText, url } from './simulated.mjs';

const anthropic = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });

for (const model of ['vllm', 'sglang']) {
  const how = model === 'vllm' ? 'native' : 'translated onto chat';

  test(`messages answer whole (${how})`, async () => {
    const message = await anthropic.messages.create({
      model, max_tokens: 6, system: 'be brief', messages: [{ role: 'user', content: 'hi' }],
    });

    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.content[0].type, 'text');
    assert.equal(message.content[0].text, simulatedText(chatPrompt('be brief', 'hi'), 6));
    assert.equal(message.stop_reason, 'max_tokens');
    assert.equal(message.usage.output_tokens, 6);
  });

  test(`messages stream (${how})`, async () => {
    const stream = anthropic.messages.stream({
      model, max_tokens: 1024, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
    });
    let text = '';
    stream.on('text', (piece) => { text += piece; });
    const message = await stream.finalMessage();

    assert.equal(text, simulatedText('hello'));
    assert.equal(message.content[0].text, simulatedText('hello'));
    assert.equal(message.stop_reason, 'end_turn');
    assert.equal(message.usage.output_tokens, NATURAL);
  });
}

test('an unknown model is a NotFoundError', async () => {
  await assert.rejects(
    anthropic.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
    (e) => e instanceof Anthropic.NotFoundError && e.status === 404,
  );
});
