// The official `openai` npm library against Switchboard's OpenAI API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { NATURAL, assertClose, chatPrompt, simulatedEmbedding, simulatedText, url } from './simulated.mjs';

const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });

test('models lists every model and retrieves one by id', async () => {
  const ids = [];
  for await (const model of openai.models.list()) ids.push(model.id);
  const vllm = await openai.models.retrieve('vllm');

  assert.deepEqual(ids.sort(), ['llama', 'old-vllm', 'sglang', 'vllm']);
  assert.equal(vllm.id, 'vllm');
  assert.equal(vllm.object, 'model');
});

test('retrieving an unknown model is a NotFoundError', async () => {
  await assert.rejects(openai.models.retrieve('nope'), (e) => e instanceof OpenAI.NotFoundError && e.status === 404);
});

test('chat answers whole', async () => {
  const completion = await openai.chat.completions.create({
    model: 'sglang', messages: [{ role: 'user', content: 'hello' }],
  });

  assert.equal(completion.choices[0].message.content, simulatedText('hello'));
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.equal(completion.usage.completion_tokens, NATURAL);
});

test('chat streams', async () => {
  const stream = await openai.chat.completions.create({
    model: 'llama', stream: true, messages: [{ role: 'system', content: 'terse' }, { role: 'user', content: 'go' }],
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';

  assert.equal(text, simulatedText(chatPrompt('terse', 'go')));
});

test('completions answer a prompt', async () => {
  const completion = await openai.completions.create({ model: 'vllm', prompt: 'once upon', max_tokens: 5 });

  assert.equal(completion.choices[0].text, simulatedText('once upon', 5));
  assert.equal(completion.choices[0].finish_reason, 'length');
});

test('embeddings with the SDK default (base64) decode to the 16 floats', async () => {
  const response = await openai.embeddings.create({ model: 'llama', input: 'vector me' });

  assertClose(assert, response.data[0].embedding, simulatedEmbedding('vector me'));
});

test('embeddings as floats', async () => {
  const response = await openai.embeddings.create({ model: 'vllm', input: ['a', 'b'], encoding_format: 'float' });

  assert.equal(response.data.length, 2);
  assertClose(assert, response.data[1].embedding, simulatedEmbedding('b'));
});

for (const model of ['vllm', 'old-vllm']) {
  test(`responses answer (${model === 'vllm' ? 'native' : 'translated onto chat'})`, async () => {
    const response = await openai.responses.create({ model, instructions: 'be brief', input: 'hi' });

    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, simulatedText(chatPrompt('be brief', 'hi')));
    assert.equal(response.usage.output_tokens, NATURAL);
  });

  test(`responses stream (${model === 'vllm' ? 'native' : 'translated onto chat'})`, async () => {
    const stream = openai.responses.stream({ model, input: 'stream it' });
    let deltas = '';
    stream.on('response.output_text.delta', (event) => { deltas += event.delta; });
    const response = await stream.finalResponse();

    assert.equal(deltas, simulatedText('stream it'));
    assert.equal(response.output_text, simulatedText('stream it'));
  });
}

test('chat with an unknown model is a NotFoundError', async () => {
  await assert.rejects(
    openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
    (e) => e instanceof OpenAI.NotFoundError && e.status === 404 && /nope/.test(e.message),
  );
});
