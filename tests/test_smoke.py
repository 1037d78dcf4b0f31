def test_world_builds(world):
    assert world.alice.organisation == world.org_a
    assert world.bob.organisation == world.org_b
