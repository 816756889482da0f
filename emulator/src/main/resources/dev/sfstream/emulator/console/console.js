// The sfstream emulator's console. Plain JavaScript, no library, nothing loaded from elsewhere.
//
// Live updates come from /emulator/events (server-sent events): a "state" event with the org, its PushTopics, channels
// and Pub/Sub streams whenever they change, and an "event" event for every event on every channel. Actions call the
// emulator's own REST API (with a token from POST /emulator/access-token) and fault endpoints, as any client would.
//
// Everything shown comes from the org and may hold any text (record values and payloads are whatever a client sent):
// it is only ever put in the page as text (textContent, text nodes, attribute values), never parsed as HTML.
'use strict';

(() => {
  const MAX_EVENTS = 500;
  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children; a child that is not a Node becomes a text node. */
  function el(tag, attributes, ...children) {
    const e = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null && value !== false) {
        e.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children) {
      if (child !== undefined && child !== null) {
        e.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return e;
  }

  function show(output, text, ok) {
    output.textContent = text;
    output.className = ok ? 'ok' : 'error';
  }

  // ------------------------------------------------------------------ calls to the emulator

  let apiVersion = '66.0';
  let token = null;
  let lastState = null;

  class CallError extends Error {
  }

  /** Salesforce's error array (errorCode: message), or the body as text. */
  function errorText(status, json, text) {
    if (Array.isArray(json) && json.length > 0) {
      return json.map((e) => (e.errorCode ? e.errorCode + ': ' : '') + (e.message || '')).join('\n');
    }
    if (json && json.error) {
      return json.error + (json.error_description ? ': ' + json.error_description : '');
    }
    return 'HTTP ' + status + (text ? ': ' + text.slice(0, 300) : '');
  }

  async function answer(response) {
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      throw new CallError(errorText(response.status, json, text));
    }
    return json;
  }

  async function accessToken(renew) {
    if (token === null || renew) {
      const issued = await answer(await fetch('/emulator/access-token', {method: 'POST'}));
      token = issued.access_token;
    }
    return token;
  }

  /** A REST call as the org's first user; a refused token (revoked, expired) is renewed once. */
  async function rest(method, path, body) {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch('/services/data/v' + apiVersion + path, {
        method,
        headers: {'Authorization': 'Bearer ' + await accessToken(attempt > 0), 'Content-Type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status === 401 && attempt === 0) {
        continue;
      }
      return answer(response);
    }
  }

  async function emulator(path) {
    return answer(await fetch('/emulator/' + path, {method: 'POST'}));
  }

  /** Runs an action for a button: the button waits, the output says what happened or what was refused. */
  function action(buttonId, outputId, run) {
    const button = $(buttonId);
    button.addEventListener('click', async () => {
      const output = $(outputId);
      button.disabled = true;
      try {
        show(output, await run(), true);
      } catch (e) {
        show(output, e instanceof CallError ? e.message : String(e.message || e), false);
      } finally {
        button.disabled = false;
      }
    });
  }

  function fields(textareaId) {
    const text = $(textareaId).value.trim();
    if (text === '') {
      return {};
    }
    let parsed;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new CallError('Fields must be a JSON object, such as {"LastName": "Doe"}: ' + e.message);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CallError('Fields must be a JSON object, such as {"LastName": "Doe"}');
    }
    return parsed;
  }

  function required(inputId, what) {
    const value = $(inputId).value.trim();
    if (value === '') {
      throw new CallError(what + ' is required');
    }
    return value;
  }

  const path = encodeURIComponent;

  // ------------------------------------------------------------------ actions

  action('record-create', 'record-result', async () => {
    const type = required('record-type', 'The type');
    const created = await rest('POST', '/sobjects/' + path(type), fields('record-fields'));
    $('record-id').value = created.id;
    return 'Created ' + type + ' ' + created.id;
  });
  action('record-update', 'record-result', async () => {
    const type = required('record-type', 'The type');
    const id = required('record-id', 'The record ID');
    await rest('PATCH', '/sobjects/' + path(type) + '/' + path(id), fields('record-fields'));
    return 'Updated ' + type + ' ' + id;
  });
  action('record-delete', 'record-result', async () => {
    const type = required('record-type', 'The type');
    const id = required('record-id', 'The record ID');
    await rest('DELETE', '/sobjects/' + path(type) + '/' + path(id));
    return 'Deleted ' + type + ' ' + id + ' (to the recycle bin: Undelete restores it)';
  });
  action('record-undelete', 'record-result', async () => {
    const id = required('record-id', 'The record ID');
    await emulator('undelete/' + path(id));
    return 'Undeleted ' + id;
  });

  action('topic-declare', 'topic-result', async () => {
    const name = required('topic-name', 'The name');
    const topic = {
      Query: required('topic-query', 'The query'),
      NotifyForFields: $('topic-notify-fields').value,
      NotifyForOperationCreate: $('topic-create').checked,
      NotifyForOperationUpdate: $('topic-update').checked,
      NotifyForOperationDelete: $('topic-delete').checked,
      NotifyForOperationUndelete: $('topic-undelete').checked,
      IsActive: $('topic-active').checked,
    };
    // Declared as sfstream's PushTopics.declare does: created, or updated when one has the name.
    const existing = lastState && lastState.pushTopics.find((t) => String(t.Name).toLowerCase() === name.toLowerCase());
    if (existing) {
      await rest('PATCH', '/sobjects/PushTopic/' + path(existing.Id), topic);
      return 'Updated PushTopic ' + existing.Name + ': subscribe to /topic/' + existing.Name;
    }
    const created = await rest('POST', '/sobjects/PushTopic', {Name: name, ApiVersion: Number(apiVersion), ...topic});
    return 'Created PushTopic ' + name + ' (' + created.id + '): subscribe to /topic/' + name;
  });

  action('event-publish', 'event-result', async () => {
    const type = required('event-type', 'The event type');
    if (!type.endsWith('__e')) {
      throw new CallError('A platform event type ends with __e, such as Order_Placed__e');
    }
    const published = await rest('POST', '/sobjects/' + path(type), fields('event-fields'));
    const uuid = (published.errors || []).map((e) => e.message).join(' ');
    return 'Published on /event/' + type + (uuid ? ', EventUuid ' + uuid : '');
  });

  action('generic-push', 'generic-result', async () => {
    const name = required('generic-channel', 'The channel');
    const payload = $('generic-payload').value;
    let channel = lastState && lastState.streamingChannels.find((c) => c.Name === name);
    let created = '';
    if (!channel) {
      const record = await rest('POST', '/sobjects/StreamingChannel', {Name: name});
      channel = {Id: record.id, Name: name};
      created = 'Created StreamingChannel ' + name + ', then ';
    }
    const results = await rest('POST', '/sobjects/StreamingChannel/' + path(channel.Id) + '/push',
        {pushEvents: [{payload, userIds: []}]});
    const fanout = results && results[0] ? results[0].fanoutCount : -1;
    return created + 'pushed on ' + name + (fanout === -1 ? ' to every subscriber' : ' to ' + fanout + ' user(s)');
  });

  function seconds(inputId) {
    const value = $(inputId).value.trim();
    if (value === '' || !(Number(value) >= 0)) {
      throw new CallError('Give a number of 0 or more');
    }
    return encodeURIComponent(value);
  }

  const faults = [
    ['fault-revoke-tokens', () => emulator('revoke-tokens'), () => 'Revoked every access token'],
    ['fault-drop-sessions', () => emulator('drop-sessions'), (r) => 'Dropped ' + r.dropped + ' session(s)'],
    ['fault-disconnect-sessions', () => emulator('disconnect-sessions'),
      (r) => 'Sent /meta/disconnect to ' + r.disconnected + ' session(s)'],
    ['fault-busy', () => emulator('busy?seconds=' + seconds('busy-seconds')),
      (r) => 'Busy for ' + r.busySeconds + ' s'],
    ['fault-advance-clock', () => emulator('advance-clock?hours=' + seconds('clock-hours')),
      (r) => 'Advanced the clock by ' + r.advancedHours + ' h'],
    ['fault-reset-streams', () => emulator('pubsub/reset-streams'), (r) => 'Reset ' + r.reset + ' gRPC stream(s)'],
    ['fault-stall', () => emulator('pubsub/stall?seconds=' + seconds('stall-seconds')),
      (r) => 'gRPC streams stalled for ' + r.stallSeconds + ' s'],
    ['fault-exhaust', () => emulator('pubsub/exhaust?seconds=' + seconds('exhaust-seconds')),
      (r) => 'New gRPC calls get RESOURCE_EXHAUSTED for ' + r.exhaustedSeconds + ' s'],
  ];
  for (const [id, call, say] of faults) {
    action(id, 'fault-result', async () => say(await call()));
  }

  // ------------------------------------------------------------------ the org, its topics and channels

  const knownChannels = new Set();

  function renderState(state) {
    if (lastState && lastState.org.id !== state.org.id) {
      clearEvents(); // another org on the same address: its replay IDs are not the last one's
    }
    lastState = state;
    const org = state.org;
    const status = state.status;
    apiVersion = org.apiVersions.latest;
    $('org-id').textContent = org.id;
    renderClock(status.time);
    $('clients').textContent = status.clients;

    const users = org.users.map((u) => el('div', {}, u.username, ' ', el('span', {class: 'sub'}, u.name + ' · ' + u.id)));
    const apps = org.connectedApps.map((a) => el('div', {}, a.clientId, ' ',
        el('span', {class: 'sub'}, [a.runAs ? 'client credentials as ' + a.runAs : '', a.jwt ? 'JWT' : '']
            .filter((s) => s).join(' · '))));
    const declared = Object.keys(org.platformEvents);
    const retention = status.retention;
    $('org').replaceChildren(
        el('dt', {}, 'Users'), el('dd', {}, ...users),
        el('dt', {}, 'Connected apps'), el('dd', {}, ...apps),
        el('dt', {}, 'API versions'), el('dd', {}, org.apiVersions.oldest + ' to ' + org.apiVersions.latest),
        el('dt', {}, 'Change Data Capture'), el('dd', {}, org.changeDataCapture.join(', ') || 'none'),
        el('dt', {}, 'Platform events'), el('dd', {}, declared.length ? declared.join(', ') : 'any, as published'),
        el('dt', {}, 'Streaming clients'), el('dd', {}, status.clients + ' (' + status.heldConnects + ' connects held), '
            + status.deliveries + ' deliveries'),
        el('dt', {}, 'Retained'), el('dd', {}, retention.events + ' events, ' + kib(retention.bytes) + ' of '
            + kib(retention.maxBytes)));

    $('pushtopic-count').textContent = state.pushTopics.length ? '(' + state.pushTopics.length + ')' : '';
    $('pushtopics').tBodies[0].replaceChildren(...state.pushTopics.map((t) => el('tr',
        {class: t.IsActive ? null : 'inactive'},
        el('td', {class: 'name'}, t.Name),
        el('td', {class: 'query'}, t.Query),
        el('td', {class: 'nowrap'}, t.NotifyForFields, el('div', {class: 'sub'}, operations(t))),
        el('td', {}, t.IsActive ? 'yes' : 'no'))));
    $('pushtopics-empty').hidden = state.pushTopics.length > 0;

    const channels = Object.entries(status.channels);
    $('channels').tBodies[0].replaceChildren(...channels.map(([name, c]) => el('tr', {},
        el('td', {class: 'mono'}, name),
        el('td', {class: 'num'}, c.subscribers),
        el('td', {class: 'num'}, c.lastReplayId),
        el('td', {class: 'num'}, c.retained))));
    $('channels-empty').hidden = channels.length > 0;
    channels.forEach(([name]) => addChannel(name));

    $('pubsub').replaceChildren(
        el('dt', {}, 'Endpoint'), el('dd', {}, el('code', {}, status.pubSubEndpoint || 'disabled')),
        el('dt', {}, 'TLS'), el('dd', {}, status.pubSubEndpoint === '' ? '' : status.pubSubTls
            ? 'yes, a self-signed certificate' : 'no, plaintext'),
        el('dt', {}, 'Open streams'), el('dd', {}, String(status.pubSubStreams.length)));
    $('pubsub-streams').tBodies[0].replaceChildren(...status.pubSubStreams.map((s) => el('tr', {},
        el('td', {class: 'mono'}, s.topic),
        el('td', {class: 'nowrap'}, s.method),
        el('td', {class: 'num'}, s.delivered),
        el('td', {class: 'num'}, s.pendingNumRequested))));
    $('pubsub-streams-empty').hidden = status.pubSubStreams.length > 0;

    $('generic-channels').replaceChildren(...state.streamingChannels.map((c) => el('option', {value: c.Name})));
  }

  function operations(topic) {
    return [['create', topic.NotifyForOperationCreate], ['update', topic.NotifyForOperationUpdate],
      ['delete', topic.NotifyForOperationDelete], ['undelete', topic.NotifyForOperationUndelete]]
        .filter(([, on]) => on).map(([name]) => name).join(', ') || 'no operation';
  }

  function kib(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + ' MiB' : Math.ceil(bytes / 1024) + ' KiB';
  }

  function renderClock(time) {
    const at = new Date(time);
    $('clock').textContent = at.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    const ahead = (at.getTime() - Date.now()) / 3600000;
    $('clock-ahead').textContent = ahead >= 0.1 ? '+' + ahead.toFixed(1) + ' h ahead' : '';
  }

  // ------------------------------------------------------------------ the live stream

  const eventRows = $('events').tBodies[0];
  const seen = new Set();
  const eventsOf = new WeakMap();
  let selected = null;

  function addChannel(name) {
    if (knownChannels.has(name)) {
      return;
    }
    knownChannels.add(name);
    const filter = $('channel-filter');
    const options = [...filter.options].slice(1);
    const before = options.find((o) => o.value > name);
    filter.insertBefore(el('option', {value: name}, name), before || null);
  }

  function typeClass(event) {
    return 'type type-' + String(event.type).toLowerCase().replace(/[^a-z]/g, '');
  }

  /** One line for what the event carries: the record (PushTopic), the changed fields, the payload. */
  function summary(event) {
    const data = event.message.data || {};
    if (data.sobject !== undefined) {
      return clip(fieldsText(data.sobject));
    }
    if (event.channel.startsWith('/data/') && data.payload) {
      const {ChangeEventHeader: header, ...changed} = data.payload;
      const about = header ? header.entityName + ' ' + (header.recordIds || []).join(', ') + ' · ' : '';
      return clip(about + fieldsText(changed));
    }
    if (typeof data.payload === 'string') {
      return clip(data.payload);
    }
    if (data.payload) {
      const {CreatedDate: ignoredDate, CreatedById: ignoredUser, ...fields} = data.payload;
      return clip(fieldsText(fields));
    }
    return clip(JSON.stringify(data));
  }

  function fieldsText(fields) {
    return Object.entries(fields).filter(([, v]) => v !== null)
        .map(([k, v]) => k + ': ' + (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  }

  function clip(text) {
    return text.length > 300 ? text.slice(0, 300) + '…' : text;
  }

  function addEvent(event) {
    const key = event.channel + '#' + event.replayId;
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    addChannel(event.channel);
    const time = String(event.createdDate).replace(/^.*T/, '').replace('Z', '');
    const carried = summary(event);
    const row = el('tr', {class: 'fresh', tabindex: '0', 'data-channel': event.channel},
        el('td', {class: 'time', title: event.createdDate}, time),
        el('td', {class: 'channel', title: event.channel}, event.channel),
        el('td', {class: 'num'}, event.replayId),
        el('td', {}, el('span', {class: typeClass(event)}, event.type)),
        el('td', {class: 'summary', title: carried}, carried));
    eventsOf.set(row, event);
    row.hidden = !matchesFilter(row);
    eventRows.prepend(row);
    while (eventRows.rows.length > MAX_EVENTS) {
      const last = eventRows.rows[eventRows.rows.length - 1];
      seen.delete(eventsOf.get(last).channel + '#' + eventsOf.get(last).replayId);
      last.remove();
    }
    countEvents();
  }

  function select(row) {
    const event = eventsOf.get(row);
    if (!event) {
      return;
    }
    if (selected) {
      selected.classList.remove('selected');
    }
    selected = row;
    row.classList.add('selected');
    $('detail-title').textContent = event.channel + ' · replay ID ' + event.replayId;
    $('event-json').textContent = JSON.stringify(event.message, null, 2);
  }

  eventRows.addEventListener('click', (e) => {
    const row = e.target.closest('tr');
    if (row) {
      select(row);
    }
  });
  eventRows.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target.closest('tr')) {
      select(e.target.closest('tr'));
    }
  });

  function matchesFilter(row) {
    const filter = $('channel-filter').value;
    return filter === '' || row.dataset.channel === filter;
  }

  function countEvents() {
    const total = eventRows.rows.length;
    const shown = [...eventRows.rows].filter((r) => !r.hidden).length;
    $('event-count').textContent = total === 0 ? '' : shown === total ? '(' + total + ')' : '(' + shown + ' of ' + total + ')';
    $('events-empty').hidden = total > 0;
  }

  $('channel-filter').addEventListener('change', () => {
    for (const row of eventRows.rows) {
      row.hidden = !matchesFilter(row);
    }
    countEvents();
  });

  function clearEvents() {
    eventRows.replaceChildren();
    seen.clear();
    selected = null;
    $('detail-title').textContent = '';
    $('event-json').textContent = 'Click an event to see its JSON as delivered.';
    countEvents();
  }
  $('clear-events').addEventListener('click', clearEvents);

  // ------------------------------------------------------------------ the feed

  function feedStatus(state, text) {
    const status = $('feed-status');
    status.dataset.state = state;
    status.textContent = text;
  }

  function connect() {
    const source = new EventSource('/emulator/events');
    source.addEventListener('open', () => feedStatus('live', 'live'));
    source.addEventListener('state', (e) => renderState(JSON.parse(e.data)));
    source.addEventListener('event', (e) => addEvent(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      feedStatus('reconnecting', 'emulator unreachable: reconnecting…');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 3000); // the browser gave up (the emulator answered with an error): try again ourselves
      }
    });
  }

  countEvents();
  connect();
})();
