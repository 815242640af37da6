"""The guidance page's option cards, memoised (scenarios/templatetags/requests.py): the ticked option
follows the form, and each request shows its own guidance."""

from django.urls import reverse

from scenarios.templatetags.requests import _cards


def test_the_ticked_option_follows_the_form_though_the_cards_are_memoised(client_for, practitioner, log_request):
    made = log_request()
    client = client_for(practitioner)
    url = reverse("scenarios:detail", args=[made.pk])
    assert 'value="discuss" id="option-discuss" checked' in client.get(url).content.decode()
    refused = client.post(reverse("scenarios:choose", args=[made.pk]), {"option": ""})
    assert refused.status_code == 400
    assert " checked" not in refused.content.decode().split('id="options-heading"')[1]
    assert 'value="discuss" id="option-discuss" checked' in client.get(url).content.decode()


def test_each_request_shows_its_own_recommendation_on_its_cards(client_for, practitioner, log_request):
    _cards.clear()
    parent = log_request()
    colleague = log_request(relationship="colleague", client_status="", client_reference="", context="")
    client = client_for(practitioner)
    for made in (parent, colleague, parent):
        body = client.get(reverse("scenarios:detail", args=[made.pk])).content.decode()
        cards = body.split('id="options-heading"')[1]
        first = made.recommended[0]
        heading = cards.split(f'id="option-{first}-heading"')[1].split("</h3>")[0]
        assert "Recommended</span>" in heading, (made.relationship, first)
        assert cards.count("Recommended</span>") == 1
    assert len(_cards) == 8  # two requests' four cards, the third view from the memo
