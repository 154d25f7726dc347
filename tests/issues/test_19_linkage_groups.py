"""Issue 19 in chat: an officer makes a linkage group and invites households, each joins
or not and says whether its name is shown; members share tips, questions and photos
that reach the others (never one that left or muted), answer them as a thread; the
leader and the officer hide; the officer sees the members' figures without names and
asks one doing well to share; "ai nuôi bò lời nhất?" names only those who agreed; a
group meeting; Zalo's numbered options; the household's export and deletion."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.capabilities import ZALO
from bot.core.contract import Reply
from bot.db import transaction
from bot.groups import members, sharing
from models import (
    Audit,
    Entry,
    EntryActivity,
    GroupMember,
    GroupPost,
    Household,
    LinkGroup,
    MeetingInvite,
    Outbox,
)
from tests.dialog import (
    Dialog,
    FixedClock,
    MemoryChannel,
    joined_household,
    make_app,
    seed_programme,
)

NAMES = ("Nguyễn Văn Ba", "Trần Thị Tư", "Lê Văn Năm")
HAMLETS = ("Ấp 3", "Ấp 1", "Ấp 3")


class Commune:
    """An officer ("1") and three households ("2", "3", "4") in chat."""

    async def start(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        channel: MemoryChannel | None = None,
    ) -> None:
        programme = await seed_programme(sessions, households=3)
        async with transaction(sessions) as session:
            for created, name, hamlet in zip(programme.households, NAMES, HAMLETS, strict=True):
                await session.execute(
                    update(Household)
                    .where(Household.id == created.id)
                    .values(head_name=name, hamlet=hamlet)
                )
        self.sessions = sessions
        self.codes = [h.code for h in programme.households]
        self.ids = [h.id for h in programme.households]
        self.clock = FixedClock(datetime(2026, 11, 29, 3, 0, tzinfo=UTC))
        self.channel = channel or MemoryChannel()
        self.app = make_app(settings, sessions, self.channel, self.clock)
        self.officer = Dialog(self.app, self.channel, "1")
        self.homes = [Dialog(self.app, self.channel, str(n)) for n in (2, 3, 4)]
        await joined_household(self.officer, programme.officer.invite)
        for home, created in zip(self.homes, programme.households, strict=True):
            await joined_household(home, created.invite)

    def received(self, since: int, dialog: Dialog) -> list[Reply]:
        return [r for a, r in self.channel.sent[since:] if a == dialog.address]

    async def member_id(self, household_id: int) -> int:
        async with self.sessions() as session:
            found = await session.scalar(
                select(GroupMember.id).where(GroupMember.household_id == household_id)
            )
        assert found is not None
        return found

    async def group_with_members(
        self, *, leader: int = 0, named: tuple[bool, ...] = (True, False, True)
    ) -> int:
        """Group 1 ("Nhóm nuôi bò ấp 3") with every household joined; the first leads."""
        await self.officer.say(f"/taonhom Nhóm nuôi bò ấp 3; {' '.join(self.codes)}")
        async with transaction(self.sessions) as session:
            await session.execute(
                update(LinkGroup).values(leader_household_id=self.ids[leader], meeting_day=20)
            )
        for home, household_id, shown in zip(self.homes, self.ids, named, strict=True):
            member = await self.member_id(household_id)
            await home.press(f"grp:join:{member}")
            await home.press(f"grp:name:{'yes' if shown else 'no'}:{member}")
        return 1


def payloads(replies: list[Reply]) -> list[str]:
    return [button.payload for reply in replies for button in reply.flat_buttons()]


async def test_making_a_group_and_consent(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    since = len(commune.channel.sent)
    made = await commune.officer.text(
        f"/taonhom Nhóm nuôi bò ấp 3; {commune.codes[0]} {commune.codes[1]} {commune.codes[2]} HOXX"
    )
    assert "Đã tạo nhóm «Nhóm nuôi bò ấp 3», số 1." in made
    assert "tới 3 hộ" in made and "Không có hộ mã HOXX" in made
    ba, tu, nam = commune.homes
    [invitation] = commune.received(since, ba)
    assert "nhóm liên kết «Nhóm nuôi bò ấp 3»" in invitation.text
    member_ba, member_tu, member_nam = [await commune.member_id(i) for i in commune.ids]
    assert payloads([invitation]) == [f"grp:join:{member_ba}", f"grp:refuse:{member_ba}"]

    asked = await ba.press(f"grp:join:{member_ba}")
    assert "thấy tên gọi và ấp" in asked[0].text
    assert "thấy tên Ba" in (await ba.press(f"grp:name:yes:{member_ba}"))[0].text
    # /nhom asks an invitation not answered yet again
    assert payloads(await tu.say("/nhom")) == [f"grp:join:{member_tu}", f"grp:refuse:{member_tu}"]
    await tu.press(f"grp:join:{member_tu}")
    assert "giấu tên" in (await tu.press(f"grp:name:no:{member_tu}"))[0].text
    refused = await nam.press(f"grp:refuse:{member_nam}")
    assert "không vào nhóm" in refused[0].text
    # an answered invitation cannot be answered again
    assert "đã được trả lời" in (await nam.press(f"grp:join:{member_nam}"))[0].text

    shown = await ba.text("/nhom")
    assert "Nhóm «Nhóm nuôi bò ấp 3» – Nuôi bò" in shown
    assert "Thành viên: Ba (Ấp 3) và 1 hộ giấu tên" in shown
    assert "Tư" not in shown and "Năm" not in shown
    assert "Chưa hẹn buổi họp nhóm nào." in shown
    assert "chưa ở nhóm liên kết nào" in await nam.text("/nhom")
    assert "Nhóm liên kết: 1; tin đã gửi cho nhóm: 0" in await ba.text("/toi")
    # a household cannot make groups
    assert "chỉ dành cho cán bộ" in await nam.text("/taonhom Nhóm của tôi")

    listed = await commune.officer.text("/nhom")
    assert "1. Nhóm nuôi bò ấp 3 – 2 thành viên" in listed
    view = await commune.officer.text("/nhom 1")
    assert "Thành viên: 2; đang mời: 0; từ chối: 1; đã rời: 0" in view
    async with sessions() as session:
        rows = await session.execute(select(GroupMember.household_id, GroupMember.state))
        states = {household: state for household, state in rows}
        actions = set(await session.scalars(select(Audit.action)))
    assert states == dict(zip(commune.ids, ("member", "member", "refused"), strict=True))
    assert {"group.create", "group.invite", "group.join", "group.refuse", "group.view"} <= actions


async def test_sharing_answering_hiding_muting_leaving(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    await commune.group_with_members()
    ba, tu, nam = commune.homes  # Ba leads; Tư hides her name

    since = len(commune.channel.sent)
    sent = await ba.text("/chiase Cho bò ăn cỏ voi ủ chua, bò lên cân nhanh")
    assert "Đã gửi tới nhóm «Nhóm nuôi bò ấp 3»." in sent
    [to_tu] = commune.received(since, tu)
    assert len(commune.received(since, nam)) == 1
    assert to_tu.text == (
        "💬 Nhóm «Nhóm nuôi bò ấp 3» – Ba chia sẻ:\nCho bò ăn cỏ voi ủ chua, bò lên cân nhanh"
    )
    async with sessions() as session:
        tip = await session.scalar(select(GroupPost).order_by(GroupPost.id.desc()))
    assert tip is not None and tip.kind == "tip"
    assert payloads([to_tu]) == [f"grp:re:{tip.id}", "grp:mute:1"]  # no hide: not the leader
    assert not commune.received(since, ba)[1:]  # the sender gets only its own "sent"

    # Tư answers: the thread goes to the others, her name hidden
    assert "nhắn câu trả lời" in (await tu.press(f"grp:re:{tip.id}"))[0].text
    since = len(commune.channel.sent)
    await tu.say("Ủ bao lâu vậy anh?")
    [to_ba] = commune.received(since, ba)
    assert to_ba.text.startswith(
        "↪ Nhóm «Nhóm nuôi bò ấp 3» – Một thành viên trả lời Ba: «Cho bò ăn cỏ voi"
    )
    assert "Ủ bao lâu vậy anh?" in to_ba.text
    assert len(commune.received(since, nam)) == 1
    # the leader's copy has the hide button
    async with sessions() as session:
        answer = await session.scalar(select(GroupPost).order_by(GroupPost.id.desc()))
    assert answer is not None and answer.reply_to_id == tip.id and answer.kind == "answer"
    assert f"grp:hide:{answer.id}" in payloads([to_ba])

    # a question from Năm; only the leader or the officer may hide it
    await nam.say("/chiase Mua thuốc tẩy giun cho bò ở đâu?")
    async with sessions() as session:
        question = await session.scalar(select(GroupPost).order_by(GroupPost.id.desc()))
    assert question is not None and question.kind == "question"
    assert "Chỉ trưởng nhóm" in (await tu.press(f"grp:hide:{question.id}"))[0].text
    assert "Đã ẩn" in (await commune.officer.press(f"grp:hide:{question.id}"))[0].text

    # a post hidden before it went out reaches nobody
    async with transaction(sessions) as session:
        group = await session.get(LinkGroup, 1)
        assert group is not None
        spam, queued = await sharing.share(
            session,
            group=group,
            text="Bán thuốc giá rẻ",
            kind="tip",
            now=commune.clock.now,
            household_id=commune.ids[2],
        )
    assert queued == 2
    since = len(commune.channel.sent)
    assert "Đã ẩn" in (await ba.press(f"grp:hide:{spam.id}"))[0].text
    assert not any("Bán thuốc" in r.text for _, r in commune.channel.sent[since:])

    # Tư mutes: nothing more reaches her; Năm leaves: nothing either
    assert "Đã tắt tin" in (await tu.press("grp:mute:1"))[0].text
    asked = await nam.press("grp:leave:1")
    assert payloads(asked) == ["grp:left:1", "grp:stay"]
    assert "đã rời nhóm" in (await nam.press("grp:left:1"))[0].text
    since = len(commune.channel.sent)
    await ba.say("/chiase Tiêm phòng lở mồm long móng trước mùa mưa")
    assert commune.received(since, tu) == [] and commune.received(since, nam) == []
    assert "Hiện chưa có thành viên nào khác nhận tin." in commune.received(since, ba)[0].text
    assert "chưa ở nhóm liên kết nào" in await nam.text("/nhom")
    shown = await tu.text("/nhom")
    assert "đang tắt tin" in shown and "Thành viên: Ba (Ấp 3) và 1 hộ giấu tên" in shown
    await tu.press("grp:unmute:1")
    since = len(commune.channel.sent)
    await ba.say("/chiase Nhớ tiêm phòng nhé")
    assert len(commune.received(since, tu)) == 1 and commune.received(since, nam) == []

    # the officer's notice reaches every member who listens
    since = len(commune.channel.sent)
    sent = await commune.officer.text("/chiase 1 Thứ bảy này tiêm phòng miễn phí")
    assert "Đã gửi tới 2 thành viên" in sent
    [notice] = commune.received(since, tu)
    assert notice.text.startswith("💬 Nhóm «Nhóm nuôi bò ấp 3» – Cán bộ xã chia sẻ:")
    assert "số nhóm rồi lời nhắn" in await commune.officer.text("/chiase")

    # /chiase without words asks for them; a photo's words are shared
    assert "muốn chia sẻ gì" in await tu.text("/chiase")
    since = len(commune.channel.sent)
    from bot.core.contract import Incoming

    await tu._deliver(Incoming("telegram", tu.address, kind="photo", text="Chuồng bò mới làm"))
    [photo] = commune.received(since, ba)
    assert photo.text.startswith("📷 Nhóm «Nhóm nuôi bò ấp 3» – Một thành viên gửi ảnh")
    assert "Chuồng bò mới làm" in photo.text


async def _diary(
    sessions: async_sessionmaker[AsyncSession], household_id: int, sold: int, spent: int
) -> None:
    """Money of the cows in October 2026 (a month the figures cover)."""
    async with transaction(sessions) as session:
        for kind, amount, category in (
            ("income", sold, "livestock"),
            ("expense", spent, "production"),
        ):
            entry = Entry(
                household_id=household_id,
                kind=kind,
                amount=amount,
                category=category,
                day=date(2026, 10, 10),
                text=f"bò {amount}",
            )
            session.add(entry)
            await session.flush()
            session.add(EntryActivity(entry_id=entry.id, activity="nuoi_bo", source="words"))


async def test_figures_invitation_to_share_and_who_does_best(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    await commune.group_with_members(named=(True, True, False))
    ba, tu, nam = commune.homes
    await _diary(sessions, commune.ids[0], 45_000_000, 3_000_000)  # 14.000.000 a month
    await _diary(sessions, commune.ids[1], 12_000_000, 3_000_000)  # 3.000.000 a month
    await _diary(sessions, commune.ids[2], 3_000_000, 6_000_000)  # -1.000.000 a month

    view = await commune.officer.say("/nhom 1")
    text = view[0].text
    assert "Nhóm «Nhóm nuôi bò ấp 3» (số 1), nuôi bò" in text
    assert "Lời mỗi tháng (08/2026–10/2026), 3 hộ có ghi sổ: trung vị 3.000.000\xa0₫" in text
    assert "Trên chuẩn nghèo (1.500.000\xa0₫/người/tháng): 1/3 hộ" in text
    assert not any(name.split()[-1] in text for name in NAMES)  # nobody named
    invite_ba = f"grp:askshare:1:{commune.ids[0]}"
    assert payloads(view) == [invite_ba, f"grp:askshare:1:{commune.ids[1]}"]

    # nobody agreed to show figures yet: nobody is named
    nobody = await nam.text("ai nuôi bò lời nhất?")
    assert "chưa có hộ nào đồng ý cho biết số lời nuôi bò" in nobody

    # the officer asks Tư, who declines; Ba, who agrees and shares how
    since = len(commune.channel.sent)
    await commune.officer.press(f"grp:askshare:1:{commune.ids[1]}")
    [request] = commune.received(since, tu)
    member_tu = await commune.member_id(commune.ids[1])
    assert "chia sẻ cách làm" in request.text
    assert "giữ kín" in (await tu.press(f"grp:share:no:{member_tu}"))[0].text
    assert any(
        "Hộ " + commune.codes[1] + " chưa muốn" in r.text
        for r in commune.received(since, commune.officer)
    )
    await commune.officer.press(invite_ba)
    member_ba = await commune.member_id(commune.ids[0])
    since = len(commune.channel.sent)
    agreed = await ba.press(f"grp:share:yes:{member_ba}")
    assert "muốn chia sẻ gì với nhóm" in agreed[-1].text
    told = commune.received(since, commune.officer)
    assert any(f"Hộ {commune.codes[0]} đồng ý chia sẻ" in r.text for r in told)
    since = len(commune.channel.sent)
    await ba.say("Em trồng 2 sào cỏ voi, bò ăn no nên lớn nhanh")
    assert any("Em trồng 2 sào cỏ voi" in r.text for r in commune.received(since, nam))

    best = await nam.text("Ai nuôi bò lời nhất vậy?")
    assert "1. Ba: lời 14.000.000\xa0₫/tháng" in best
    assert "Tư" not in best and "Năm" not in best
    assert "Chỉ tính các hộ đã đồng ý" in best


async def test_group_meeting(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    await commune.group_with_members()
    ba, _, nam = commune.homes
    assert "lần tới ngày 20/12/2026" in await ba.text("/nhom")
    await nam.press("grp:left:1")  # Năm left: not invited

    assert "lúc nào" in await commune.officer.text("/hopnhom 1")
    await commune.officer.say("05/12 14:00")
    await commune.officer.say("Nhà anh Ba")
    preview = await commune.officer.say("Cách ủ cỏ cho bò")
    assert "Họp nhóm «Nhóm nuôi bò ấp 3»:" in preview[0].text
    assert "Thư mời sẽ gửi tới 2 hộ" in preview[0].text
    since = len(commune.channel.sent)
    await commune.officer.press("meet:send")
    [to_ba] = commune.received(since, ba)
    assert to_ba.text.startswith("📅 Thư mời họp nhóm «Nhóm nuôi bò ấp 3»")
    assert commune.received(since, nam) == []
    await ba.press("meet:yes:1")
    assert "Họp nhóm tới: 14:00 05/12/2026 tại Nhà anh Ba." in await ba.text("/nhom")
    assert "Không có nhóm số 9" in await commune.officer.text("/hopnhom 9")

    commune.clock.now = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    await commune.officer.say("/ketquahop")
    await commune.officer.press("meet:asplanned")
    await commune.officer.say("không có")
    view = await commune.officer.text("/nhom 1")
    assert "Họp nhóm:\n• 05/12/2026: 1/2 hộ đến" in view
    async with sessions() as session:
        invited = set(await session.scalars(select(MeetingInvite.household_id)))
    assert invited == set(commune.ids[:2])


async def test_zalo_numbered_options(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions, MemoryChannel(name="zalo", capabilities=ZALO))
    ba, tu, _ = commune.homes
    since = len(commune.channel.sent)
    await commune.officer.say(f"/taonhom Nhóm nuôi bò; {commune.codes[0]} {commune.codes[1]}")
    [invitation] = commune.received(since, ba)
    assert invitation.text.endswith("1. Tham gia  2. Không tham gia")
    assert "1. Cho thấy tên  2. Giấu tên" in await ba.text("1")
    assert "thấy tên Ba" in await ba.text("1")
    await tu.say("1")
    await tu.say("1")
    since = len(commune.channel.sent)
    await ba.say("/chiase Bò cần uống đủ nước")
    [post] = commune.received(since, tu)
    assert post.text.endswith("1. Trả lời  2. Tắt tin nhóm")
    assert "nhắn câu trả lời" in await tu.text("1")
    since = len(commune.channel.sent)
    await tu.say("Cảm ơn anh Ba")
    [answer] = commune.received(since, ba)
    assert "Tư trả lời Ba" in answer.text and "Cảm ơn anh Ba" in answer.text
    assert "Ẩn tin" not in answer.text  # a group made in chat has no leader yet


async def test_export_and_deletion_cover_groups(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    await commune.group_with_members()
    ba, tu, _ = commune.homes
    await ba.say("/chiase Cho bò ăn cỏ voi")
    async with sessions() as session:
        tip = await session.scalar(select(GroupPost.id))
    await tu.press(f"grp:re:{tip}")
    await tu.say("Cảm ơn anh")
    files = await ba.say("/xuatdulieu")
    [groups] = [r for r in files if r.attachment and r.attachment.filename.startswith("nhom-")]
    assert groups.attachment is not None
    data = groups.attachment.data.decode("utf-8-sig")
    assert "Nhóm nuôi bò ấp 3" in data and "Cho bò ăn cỏ voi" in data and "Cảm ơn anh" not in data

    wipe = [p for p in payloads(await ba.say("/xoadulieu")) if p.startswith("wipe:yes")]
    await ba.press(wipe[0])
    async with sessions() as session:
        assert (
            await session.scalar(
                select(func.count(GroupMember.id)).where(GroupMember.household_id == commune.ids[0])
            )
            == 0
        )
        posts = list(await session.scalars(select(GroupPost)))
        assert [p.text for p in posts] == ["Cảm ơn anh"] and posts[0].reply_to_id is None
        assert await session.scalar(select(LinkGroup.leader_household_id)) is None
        bodies = [
            str(body)
            for body in await session.scalars(
                select(Outbox.body).where(Outbox.key.startswith("group:post:"))
            )
        ]
    assert not any("Cho bò ăn cỏ voi" in body and "chia sẻ" in body for body in bodies)
    assert members.first_name("Nguyễn Văn Ba") == "Ba"


async def test_leader_day_and_removal_from_chat(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> None:
    commune = Commune()
    await commune.start(settings, sessions)
    ba, tu, _ = commune.homes
    first, second, _ = commune.codes
    assert "từ 1 đến 28" in await commune.officer.text("/taonhom Nhóm heo; họp ngày 31")
    assert "Không có hộ mã HO99" in await commune.officer.text(
        "/taonhom Nhóm heo; trưởng nhóm HO99"
    )
    made = await commune.officer.text(
        f"/taonhom Nhóm nuôi heo; {first}, {second}; trưởng nhóm {first.lower()}; họp ngày 15"
    )
    assert "tới 1 hộ" in made  # the leader was invited when the group was made
    async with sessions() as session:
        group = await session.get(LinkGroup, 1)
        assert group is not None
        assert (group.leader_household_id, group.meeting_day, group.activity) == (
            commune.ids[0], 15, "nuoi_heo"
        )  # fmt: skip
    for home, household_id in ((ba, commune.ids[0]), (tu, commune.ids[1])):
        await home.press(f"grp:join:{await commune.member_id(household_id)}")
    removed = await commune.officer.text(f"/bonhom 1 {second} HO99")
    assert "Đã đưa 1 hộ ra khỏi nhóm" in removed and "Không có hộ mã HO99" in removed
    since = len(commune.channel.sent)
    await ba.say("/chiase Heo con cần giữ ấm")
    assert commune.received(since, tu) == []
    assert "chưa ở nhóm liên kết nào" in await tu.text("/nhom")
    assert "Không có nhóm số 7" in await commune.officer.text(f"/moinhom 7 {second}")
