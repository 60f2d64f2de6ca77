// SPDX-License-Identifier: GPL-3.0-or-later
// Aim's storage encoding against keys and values read from a real `.aim`
// repository: koyeb/example-aim @ 135fa02a5ab7dd99f22624165ee3765d1bc23901
// (aim 3.24.0; run 82d7b9aee7b445b6b3a67959 tracking `numbers` 0..9) and
// nirajan-fuse/aim_experiment_id @ c573a59a983663998d294a2dca65604178ce4ef2
// (aim 3.24.0; `accuracy` in context {'subset': 'train'}). A handful of
// key and value bytes as test vectors, decoded from their RocksDB files.
#include "aim_encoding.h"

#include <QtTest>

using namespace runlens;

namespace {

std::string hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text)).toStdString();
}

} // namespace

class TestAimEncoding : public QObject {
    Q_OBJECT

private slots:
    void realKeysDecodeToTheirPaths()
    {
        // seqs/v2/chunks/<run>/[context {}]/numbers/step/[hash of step 0]
        const std::string key = hex("73657173fe7632fe6368756e6b73fe383264376239616565376234343562366233613637393539fefec17b82ebc8dea392fe"
                                    "6e756d62657273fe73746570fefe06c445257286a392fe");
        const auto path = decodeAimPath(key);
        QVERIFY(path);
        const AimPath expected{std::string("seqs"), std::string("v2"), std::string("chunks"), std::string("82d7b9aee7b445b6b3a67959"),
            int64_t(-4504863053055089774), std::string("numbers"), std::string("step"), int64_t(487590686800389010)};
        QVERIFY(*path == expected);
        QCOMPARE(encodeAimPath(*path), key);

        const auto accuracy = decodeAimPath(hex("73657173fe7632fe6368756e6b73fe653262363733336232323439346139306236656337316332fefe877498e10d416f95fe"
                                                "6163637572616379fe76616cfefe046ccfe53c75fa28fe"));
        QVERIFY(accuracy);
        QCOMPARE(accuracy->size(), size_t(8));
        QCOMPARE(std::get<int64_t>((*accuracy)[4]), int64_t(-8686149688933388395)); // {'subset': 'train'}
        QCOMPARE(std::get<std::string>((*accuracy)[5]), std::string("accuracy"));
        QCOMPARE(std::get<int64_t>((*accuracy)[7]), int64_t(318858257105287720));
    }

    void anIntHoldingTheSentinelIsReadWhole()
    {
        // Its 8 bytes are taken as they are: a split on 0xFE would cut it.
        const AimPath path{std::string("traces"), int64_t(0x00FEFE00FE0000FELL), std::string("loss")};
        const std::string key = encodeAimPath(path);
        QCOMPARE(key.size(), size_t(7 + 10 + 5));
        const auto back = decodeAimPath(key);
        QVERIFY(back && *back == path);
        QVERIFY(!decodeAimPath("traces"));                     // no closing sentinel
        QVERIFY(!decodeAimPath(hex("fe0000000000fe")));        // an int cut short
        QVERIFY(decodeAimPath("") && decodeAimPath("")->empty());
    }

    void realValuesDecode()
    {
        auto v = decodeAimValue(hex("020000000000000000"));
        QCOMPARE(v.type, AimValue::Type::Int);
        QCOMPARE(v.integer, int64_t(0));
        v = decodeAimValue(hex("020100000000000000"));
        QCOMPARE(v.integer, int64_t(1));
        v = decodeAimValue(hex("03774a3369c5b3d941")); // the time column: Unix seconds
        QCOMPARE(v.type, AimValue::Type::Float);
        QCOMPARE(v.number, 1724847524.80142);
        v = decodeAimValue(hex("030000000000005940"));
        QCOMPARE(v.number, 100.0);
        QCOMPARE(decodeAimValue(hex("00")).type, AimValue::Type::None);
        QCOMPARE(decodeAimValue(hex("06")).type, AimValue::Type::Array);
        v = decodeAimValue(hex("04747261696e"));
        QCOMPARE(v.type, AimValue::Type::String);
        QCOMPARE(v.text, std::string("train"));
        QCOMPARE(decodeAimValue({}).type, AimValue::Type::Blob); // under BLOBS + the key
        v = decodeAimValue(hex("0f61696d2e696d616765"));
        QCOMPARE(v.type, AimValue::Type::Custom);
        QCOMPARE(v.text, std::string("aim.image"));
        QCOMPARE(decodeAimValue(hex("0101")).boolean, true);
        // Not Aim's: said as unknown, never read past the bytes.
        QCOMPARE(decodeAimValue(hex("0201")).type, AimValue::Type::Unknown);
        QCOMPARE(decodeAimValue(hex("09")).type, AimValue::Type::Unknown);
        QCOMPARE(decodeAimValue(hex("0600")).type, AimValue::Type::Unknown);
    }
};

QTEST_GUILESS_MAIN(TestAimEncoding)
#include "test_aim_encoding.moc"
