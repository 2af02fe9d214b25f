import torch
from torch import nn

from interest_model.config import Config
from interest_model.streaming_model import StreamingInterestModel
from interest_model.train import next_item_loss

NUM_ITEMS, CANDIDATES = 12, 10  # vocabulary size incl. padding and unknown; candidate columns


def setup():
    torch.manual_seed(0)
    model = StreamingInterestModel(Config(history_length=6, encoder_window=2, dim=8, cache_dim=4), NUM_ITEMS, 4, 8)
    interests, targets = torch.randn(5, 8), torch.tensor([0, 3, 3, 9, 4])
    table = torch.randn(5, CANDIDATES)  # one row of popularity bias per example

    def bias(columns):
        rows = torch.arange(5).unsqueeze(1)
        return table if columns is None else table[rows, columns]
    return model, interests, targets, table, bias


def test_full_loss_adds_the_bias_to_every_item_logit():
    model, interests, targets, table, bias = setup()
    loss = next_item_loss(model, Config(loss="full"), interests, targets, bias)
    logits = interests @ model.item_embedding.weight[2:].t() + table
    assert torch.allclose(loss, nn.functional.cross_entropy(logits, targets))


def test_sampled_loss_shares_negatives_adds_their_bias_and_masks_accidental_hits():
    model, interests, targets, table, bias = setup()
    config = Config(loss="sampled", num_negatives=6)
    torch.manual_seed(5)
    loss = next_item_loss(model, config, interests, targets, bias)
    torch.manual_seed(5)
    negatives = torch.randint(CANDIDATES, (6,))
    items = model.item_embedding.weight[2:]
    logits = torch.cat([(interests * items[targets]).sum(-1, keepdim=True) + table[torch.arange(5), targets][:, None],
                        interests @ items[negatives].t() + table[:, negatives]], dim=1)
    logits[:, 1:][negatives.unsqueeze(0) == targets.unsqueeze(1)] = -1e9
    assert torch.allclose(loss, nn.functional.cross_entropy(logits, torch.zeros(5, dtype=torch.long)))


def test_overrides_are_typed_like_their_settings_also_optional_ones():
    from interest_model.config import parse_overrides
    config = parse_overrides(Config(), ["scene_loss_weight=0.5", "split_time_ms=12", "dropout=0.3",
                                        "use_decay=false"])
    assert (config.scene_loss_weight, config.split_time_ms, config.dropout, config.use_decay) == (0.5, 12, 0.3, False)
    assert parse_overrides(config, ["scene_loss_weight=none"]).scene_loss_weight is None
