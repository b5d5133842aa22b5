"""An API that cannot be misused: each friction point of issue 7's API section."""

import inspect
from importlib import resources

import pytest

import baomi
from baomi import Channel, Decision, Message, Reviewer, review
from baomi.errors import ConflictingArgumentsError, UnknownChannelError
from baomi.policy import load_policy

INTERNAL = "我们单位的内部资料，大家看看"


def test_reviewer_policy_is_not_the_shared_mutable_default():
    r = Reviewer()
    with pytest.raises(TypeError):
        r.policy.cells[("R06", Channel.MOMENTS)] = Decision.ALLOW
    with pytest.raises(AttributeError):
        r.policy.min_score = 0.0
    with pytest.raises(AttributeError):
        r.policy = load_policy()
    with pytest.raises(AttributeError):
        r.policy.dictionaries.leaders.append("张三")
    assert review(INTERNAL, "moments").decision is Decision.BLOCK


def test_a_changed_policy_is_a_copy():
    r = Reviewer()
    loose = r.policy.with_decision("R06", "朋友圈", "allow").with_decision("R10", "moments", "allow")
    assert Reviewer(loose).review(INTERNAL, "moments").decision is Decision.ALLOW
    assert r.review(INTERNAL, "moments").decision is Decision.BLOCK
    assert review(INTERNAL, "moments").decision is Decision.BLOCK
    assert loose.version != r.policy.version


def test_a_policy_object_is_frozen_as_a_copy():
    mutable = load_policy()
    before = mutable.decide("R06", Channel.MOMENTS)
    r = Reviewer(mutable)
    assert r.policy is not mutable
    assert r.policy.decide("R06", Channel.MOMENTS) == before


def test_policy_version_tells_policies_apart(tmp_path):
    own = tmp_path / "unit.yaml"
    own.write_text("matrix:\n  R10:\n    direct: warn\n", encoding="utf-8")
    assert Reviewer(own).policy.version.startswith("unit.yaml#")
    assert Reviewer(own).policy.version != Reviewer().policy.version
    assert Reviewer().policy.version == Reviewer().policy.version


CHANNELS = [
    ("direct", Channel.DIRECT),
    ("朋友圈", Channel.MOMENTS),
    (Channel.PUBLISH, Channel.PUBLISH),
    (" Work_Group ", Channel.WORK_GROUP),
]


@pytest.mark.parametrize(("given", "channel"), CHANNELS)
def test_message_converts_its_channel(given, channel):
    m = Message("机密★10年 我拍了", given)
    assert m.channel is channel
    assert Reviewer().review(m).decision is Decision.BLOCK


def test_message_rejects_what_it_cannot_use():
    with pytest.raises(UnknownChannelError):
        Message("你好", "family")
    with pytest.raises(TypeError):
        Message(5, "direct")
    with pytest.raises(TypeError):
        Message("你好", "direct", "photo.jpg")  # a str is not a tuple of attachments
    with pytest.raises(TypeError):
        Message("你好", "direct", (), id=7)
    assert Message("你好", "direct", ["a.jpg"]).attachments[0].path.name == "a.jpg"


@pytest.mark.parametrize(
    "kwargs", [{"channel": "moments"}, {"attachments": ["a.jpg"]}, {"id": "x"}, {"channel": "direct"}]
)
def test_conflicting_arguments_raise(kwargs):
    msg = Message("你好", "direct")
    with pytest.raises(ConflictingArgumentsError) as info:
        Reviewer().review(msg, **kwargs)
    assert isinstance(info.value, TypeError)
    with pytest.raises(ConflictingArgumentsError):
        review(msg, **kwargs)
    with pytest.raises(ConflictingArgumentsError):
        Reviewer().trace(msg, **kwargs)


def test_module_review_takes_a_message_or_text():
    assert review(Message(INTERNAL, "moments")).decision is Decision.BLOCK
    assert review(INTERNAL, "朋友圈").decision is Decision.BLOCK
    assert review("明天见").decision is Decision.ALLOW


def test_package_is_typed():
    assert resources.files(baomi).joinpath("py.typed").is_file()
    params = inspect.signature(Reviewer.__init__).parameters
    assert "OcrBackend" in str(params["ocr"].annotation)
    assert "Limits" in str(params["limits"].annotation)
