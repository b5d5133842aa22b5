"""The Synapse module: `check_event_for_spam` runs every local message event through baomi
before it is stored or delivered. Synapse is imported only here, and only when Synapse
loads the module, so the rest of the package works (and is tested) without it."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from typing import Any

from baomi.errors import InputError
from baomi.integrations.matrix import gate, pending, release
from baomi.integrations.matrix.backends import BackendError, LocalBackend, Outgoing, ServiceBackend
from baomi.integrations.matrix.config import MatrixConfig, parse_config
from baomi.model import Channel

log = logging.getLogger("baomi.integrations.matrix")

CHANNEL_EVENT = "cn.baomi.channel"
NOTICE_ROOMS = "cn.baomi.notice_rooms"  # the bot's account data: user id → notice room id
PENDING = "cn.baomi.pending"  # the bot's account data: hold id → sealed held event


class BaomiModule:
    """Loaded by Synapse from homeserver.yaml:

    modules:
      - module: baomi.integrations.matrix.BaomiModule
        config: {release_secret: "…", backend: service, service: {url: …, token: …}}
    """

    def __init__(self, config: MatrixConfig, api: Any) -> None:
        from synapse.module_api import NOT_SPAM
        from synapse.module_api.errors import Codes

        self._not_spam, self._forbidden = NOT_SPAM, Codes.FORBIDDEN
        self.cfg, self.api = config, api
        self.backend = (
            ServiceBackend(config.service_url, config.service_token, config.service_timeout)
            if config.backend == "service"
            else LocalBackend(config.policy)
        )
        self.bot = f"@{config.bot_localpart}:{api.server_name}"
        self._bot_token: str | None = None
        self._bot_ready = False
        self._notice_rooms: dict[str, str] | None = None
        self.pending: dict[str, pending.Pending] = {}
        self._sealed: dict[str, dict] | None = None  # as stored; None until loaded
        self._releasing: set[str] = set()
        self._polling = False
        api.register_spam_checker_callbacks(check_event_for_spam=self.check_event_for_spam)
        api.looping_background_call(self._poll_holds, config.poll_seconds * 1000, desc="baomi_poll_holds")

    @staticmethod
    def parse_config(config: dict) -> MatrixConfig:
        from synapse.module_api.errors import ConfigError

        try:
            return parse_config(config)
        except ValueError as exc:
            raise ConfigError(f"baomi 模块配置错误：{exc}") from None

    # -- the check ---------------------------------------------------------------------

    async def check_event_for_spam(self, event: Any):
        if event.sender == self.bot or not self.api.is_mine(event.sender):
            return self._not_spam
        if event.is_state():
            return self._check_channel_event(event)
        from synapse.util.frozenutils import unfreeze

        content = unfreeze(event.content)
        hold_id = release.verified_hold(self.cfg.release_secret, event.room_id, event.sender, content)
        if hold_id is not None and hold_id in self._releasing:
            self._releasing.discard(hold_id)  # one use: a copied mark is reviewed like any message
            return self._not_spam
        try:
            found = gate.content_of(event.type, content)
        except gate.MediaError as exc:
            return await self._carry_out(gate.uninspectable(str(exc)), event.sender)
        if found is None:
            return self._not_spam
        channel = await self.channel_of(event.room_id)
        audit = {"event_id": event.event_id, "room_id": event.room_id, "sender": event.sender,
                 "channel": channel.value,
                 "content_hmac": gate.content_hash(self.cfg.release_secret, content)}
        try:
            attachments = await self._fetch(found)
        except gate.MediaError as exc:
            return await self._carry_out(gate.uninspectable(str(exc)), event.sender)
        except OSError as exc:  # the media repository did not answer: the channel's fail mode
            problem = f"附件读取失败：{type(exc).__name__}"
            return await self._carry_out(gate.failed(self.cfg, channel, problem, audit), event.sender)
        if not found.text.strip() and not attachments:
            return self._not_spam
        msg = Outgoing(found.text, channel, event.sender, event.room_id, attachments)
        outcome = await self.api.defer_to_thread(gate.judge, self.backend, self.cfg, msg, event.type,
                                                 content, audit)
        return await self._carry_out(outcome, event.sender)

    def _check_channel_event(self, event: Any):
        if event.type != CHANNEL_EVENT:
            return self._not_spam
        try:
            Channel.parse(event.content.get("channel", ""))
        except InputError as exc:
            return self._reject({"error": f"{CHANNEL_EVENT} 的 channel 无效：{exc}"})
        return self._not_spam

    def _reject(self, body: dict):
        return (self._forbidden, body)

    async def _carry_out(self, outcome: gate.Outcome, sender: str):
        if outcome.audit:
            log.warning("baomi %s: %s", outcome.audit["event"], outcome.audit["problem"])
            gate.append_audit(self.cfg.audit_path, outcome.audit)
        if outcome.pending:
            if len(self.pending) >= self.cfg.max_pending:
                return self._reject({"error": "保密审查：待审消息过多，请稍后再发。"})
            await self._remember(outcome.pending)
        if outcome.notice:
            self.api.run_as_background_process("baomi_notice", self.notify, sender, outcome.notice)
        return self._not_spam if outcome.deliver else self._reject(outcome.body)

    async def channel_of(self, room_id: str) -> Channel:
        """The config's map first (the server admin's word), then the room's state event."""
        if room_id in self.cfg.rooms:
            return self.cfg.rooms[room_id]
        state = await self.api.get_room_state(room_id, [(CHANNEL_EVENT, "")])
        ev = state.get((CHANNEL_EVENT, ""))
        if ev is not None:
            try:
                return Channel.parse(ev.content.get("channel", ""))
            except InputError:
                log.warning("baomi: room %s has an invalid %s", room_id, CHANNEL_EVENT)
        return self.cfg.default_channel

    # -- media --------------------------------------------------------------------------

    async def _fetch(self, found: gate.Content) -> tuple[tuple[str, bytes], ...]:
        if found.media_url is None:
            return ()
        token = await self._bot_access_token()
        data = await self.api.defer_to_thread(self._download, found.media_url, token)
        return ((found.filename, data),)

    def _download(self, mxc: str, token: str) -> bytes:
        server, _, media_id = mxc.removeprefix("mxc://").partition("/")
        if not server or not media_id or "/" in media_id:
            raise gate.MediaError("附件地址无效")
        base = self.api.public_baseurl.rstrip("/")
        req = urllib.request.Request(f"{base}/_matrix/client/v1/media/download/{server}/{media_id}",
                                     headers={"Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(req, timeout=self.cfg.service_timeout) as resp:
                data = resp.read(self.cfg.max_media_bytes + 1)
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                raise gate.MediaError("附件不存在或已被删除") from None
            raise
        if len(data) > self.cfg.max_media_bytes:
            raise gate.MediaError(f"附件过大（上限 {self.cfg.max_media_bytes} 字节），无法审查")
        return data

    async def _ensure_bot(self) -> None:
        if not self._bot_ready:
            if not await self.api.check_user_exists(self.bot):
                await self.api.register_user(self.cfg.bot_localpart, displayname="保密审查")
            self._bot_ready = True

    async def _bot_access_token(self) -> str:
        if self._bot_token is None:
            await self._ensure_bot()
            _, token, _, _ = await self.api.register_device(self.bot, "BAOMI", "baomi media reader")
            self._bot_token = token
        return self._bot_token

    # -- notices to the sender -----------------------------------------------------------

    async def notify(self, user_id: str, text: str) -> None:
        """An m.notice from the bot in a private room with the user (made and joined once)."""
        await self._ensure_bot()
        rooms = await self._rooms()
        room_id = rooms.get(user_id)
        if room_id is None:
            room_id, _ = await self.api.create_room(
                self.bot,
                {"preset": "trusted_private_chat", "is_direct": True, "invite": [user_id],
                 "name": "保密审查提醒"},
                ratelimit=False,
            )
            await self.api.update_room_membership(user_id, user_id, room_id, "join")
            rooms[user_id] = room_id
            await self.api.account_data_manager.put_global(self.bot, NOTICE_ROOMS, dict(rooms))
        await self.api.create_and_send_event_into_room({
            "type": "m.room.message", "room_id": room_id, "sender": self.bot,
            "content": {"msgtype": "m.notice", "body": text},
        })

    async def _rooms(self) -> dict[str, str]:
        if self._notice_rooms is None:
            stored = await self.api.account_data_manager.get_global(self.bot, NOTICE_ROOMS)
            self._notice_rooms = dict(stored or {})
        return self._notice_rooms

    # -- holds: poll for the reviewer's decision, release on approval ----------------------

    async def _load_pending(self) -> None:
        """Held events from before a restart (once); an unreadable record is dropped."""
        if self._sealed is not None:
            return
        await self._ensure_bot()
        stored = dict(await self.api.account_data_manager.get_global(self.bot, PENDING) or {})
        for hold_id, record in stored.items():
            try:
                self.pending[hold_id] = pending.unseal(self.cfg.release_secret, hold_id, record)
            except ValueError:
                log.warning("baomi: held event %s cannot be read back, dropped", hold_id)
        self._sealed = {h: stored[h] for h in self.pending}

    async def _remember(self, p: pending.Pending) -> None:
        await self._load_pending()
        self.pending[p.hold_id] = p
        self._sealed[p.hold_id] = pending.seal(self.cfg.release_secret, p)
        await self.api.account_data_manager.put_global(self.bot, PENDING, dict(self._sealed))

    async def _forget(self, hold_id: str) -> None:
        self.pending.pop(hold_id, None)
        if self._sealed is not None and self._sealed.pop(hold_id, None) is not None:
            await self.api.account_data_manager.put_global(self.bot, PENDING, dict(self._sealed))

    async def _poll_holds(self) -> None:
        if self._polling:
            return
        self._polling = True
        try:
            await self._load_pending()
            for p in list(self.pending.values()):
                try:
                    state = await self.api.defer_to_thread(self.backend.outcome, p.ref)
                except BackendError as exc:
                    log.warning("baomi: hold %s not polled: %s", p.hold_id, exc)
                    continue
                if state == "released":
                    await self._release(p)
                elif state == "rejected":
                    await self._forget(p.hold_id)
                    text = f"【保密审查】您暂扣的消息（审查编号 {p.hold_id}）未通过审查，没有发出。"
                    await self.notify(p.sender, text)
        finally:
            self._polling = False

    async def _release(self, p: pending.Pending) -> None:
        """Send the held event as the sender, marked so that its check lets it through once."""
        from synapse.api.errors import SynapseError

        content = release.mark(self.cfg.release_secret, p.hold_id, p.room_id, p.sender, p.content)
        self._releasing.add(p.hold_id)
        try:
            await self.api.create_and_send_event_into_room(
                {"type": p.event_type, "room_id": p.room_id, "sender": p.sender, "content": content}
            )
        except SynapseError as exc:  # e.g. the sender left the room: told, and the hold dropped
            log.warning("baomi: hold %s approved but not sent: %s", p.hold_id, type(exc).__name__)
            text = f"【保密审查】您暂扣的消息（审查编号 {p.hold_id}）已获批准，但未能发出，请重新发送。"
        else:
            text = f"【保密审查】您暂扣的消息（审查编号 {p.hold_id}）已获批准，已以您的名义发出。"
        finally:
            self._releasing.discard(p.hold_id)
        await self._forget(p.hold_id)
        await self.notify(p.sender, text)
