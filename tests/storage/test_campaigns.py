from __future__ import annotations

import pytest

from bot.storage.campaigns import CampaignRepository


def test_create_save_and_resume_the_latest_draft(sessions) -> None:
    campaigns = CampaignRepository(sessions)
    first = campaigns.create(user_id=1, draft={"name": "", "answers": {}, "status": "in_progress"})
    assert first.draft["id"] == first.id
    campaigns.save(
        campaign_id=first.id, user_id=1, draft={"name": "Unity Week", "answers": {"name": "Unity Week"}, "status": "in_progress"}
    )
    latest = campaigns.latest_in_progress(user_id=1)
    assert latest is not None and latest.id == first.id and latest.name == "Unity Week"
    assert latest.draft["answers"] == {"name": "Unity Week"}
    assert campaigns.latest_in_progress(user_id=2) is None


def test_other_users_cannot_read_change_or_delete(sessions) -> None:
    campaigns = CampaignRepository(sessions)
    mine = campaigns.create(user_id=1, draft={"name": "Mine", "status": "in_progress"})
    assert campaigns.get(campaign_id=mine.id, user_id=2) is None
    with pytest.raises(LookupError):
        campaigns.save(campaign_id=mine.id, user_id=2, draft={"name": "Taken"})
    assert campaigns.delete(campaign_id=mine.id, user_id=2) is False
    assert campaigns.get(campaign_id=mine.id, user_id=1).name == "Mine"


def test_list_hides_cancelled_and_delete_removes(sessions) -> None:
    campaigns = CampaignRepository(sessions)
    done = campaigns.create(user_id=3, draft={"name": "Done", "status": "complete"})
    campaigns.create(user_id=3, draft={"name": "Dropped", "status": "cancelled"})
    assert [c.name for c in campaigns.list_for_user(user_id=3)] == ["Done"]
    assert campaigns.delete(campaign_id=done.id, user_id=3) is True
    assert campaigns.list_for_user(user_id=3) == []
